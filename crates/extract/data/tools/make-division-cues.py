#!/usr/bin/env python3
"""Make `divisions.json`: the names of the world's first-level administrative divisions as
country cues ("Donetsk", "Borno", "Nuevo Leon", "Mopti" tell a document's country as a country's
own name does), in the registry's `divisions` format (ISO code -> cue phrases; a cue counts where it stands as
a name of its own, not inside a longer one).

    make-division-cues.py DIVISIONS_TXT REGIONS_TSV CITIES500_ZIP COUNTRIES_JSON > divisions.json

From the gazetteer's bundled `divisions.txt` (GeoNames rows, CC BY 4.0) and `regions.tsv` (the
curated first-level rows of Syria and Lebanon): each ADM1 row's name, ASCII name and ASCII
aliases, with a closing kind word taken off ("Donetsk Oblast" -> "Donetsk", "Mopti Region" ->
"Mopti"). A phrase is left out when it could tell something else:
- it is a country's name or demonym, or names a first-level division of another country too
  (then it tells neither: "Punjab", "Central", "Northern"); a division named as another
  country is ("Niger" State, Nigeria) goes to `country_namesakes`: a cue of its own country only
  as a part of a bracketed place chain ("Nasko (Magama, Niger)");
- it is the name of a populated place of 100 000 or more people in another country
  (cities500);
- it is a single generic word (a compass point, "Capital", "Coast", "Islands"...), shorter than
  four letters, not capitalised ASCII, or the name of a region wider than the country ("Sahel").
"""
import csv
import io
import json
import re
import sys
import unicodedata
import zipfile

csv.field_size_limit(1 << 30)

KIND = {
    "oblast", "region", "province", "state", "governorate", "department", "district",
    "prefecture", "county", "division", "territory", "municipality", "raion", "krai", "okrug",
    "republic", "emirate", "wilaya", "muhafazah", "ostan", "velayat", "vilayet", "voivodeship",
    "parish", "canton", "zone", "area", "autonomous", "federal", "capital", "city",
}
GENERIC = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "centre", "center", "centro", "nord", "sud", "est", "ouest", "capital", "coast", "coastal",
    "islands", "island", "lakes", "lake", "upper", "lower", "middle", "highlands", "lowlands",
    "mountain", "mountains", "plateau", "valley", "border", "interior", "littoral", "river",
    "great", "greater", "new", "old", "saint", "san", "santa", "the", "of", "and", "el", "al",
}


# first-level divisions named after a region that spans several countries: "the Sahel" is
# Burkina Faso's Sahel region, and as much Mali's, Niger's and Chad's
TRANSNATIONAL = {"Sahel"}


def ascii_of(s):
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()


def phrase(name):
    """The cue phrase of a division's name: ASCII, closing kind words off; None if unfit."""
    words = re.split(r"\s+", name.strip())
    while len(words) > 1 and words[-1].lower().strip(".") in KIND:
        words.pop()
    p = " ".join(words)
    if not re.fullmatch(r"[A-Z][A-Za-z' -]*[a-z]", p) or len(p) < 4 or len(words) > 4:
        return None
    if len(words) == 1 and "-" not in p and (p.lower() in GENERIC or p.lower() in KIND):
        return None
    if p in TRANSNATIONAL:
        return None
    return p


def main(divisions, regions, cities_zip, countries_json):
    rows = []
    for path in (divisions, regions):
        for r in csv.reader(open(path, encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(r) >= 9 and r[7] == "ADM1" and r[8]:
                rows.append(r)
    cues = {}  # phrase -> countries
    for r in rows:
        names = [r[1], r[2], ascii_of(r[1])] + [a for a in r[3].split(",") if a and a.isascii()]
        for n in names:
            p = phrase(n)
            if p:
                cues.setdefault(p, set()).add(r[8])
    nations = json.load(open(countries_json, encoding="utf-8"))["nations"]
    taken = {n.lower() for x in nations for n in x.get("names", []) + x.get("demonyms", [])}
    big = {}
    with zipfile.ZipFile(cities_zip) as z:
        with z.open("cities500.txt") as f:
            for r in csv.reader(io.TextIOWrapper(f, encoding="utf-8"), delimiter="\t",
                                quoting=csv.QUOTE_NONE):
                if int(r[14] or 0) >= 100_000:
                    for n in {r[1], r[2]}:
                        big.setdefault(n, set()).add(r[8])
    out = {}
    # a division named as a country is ("Niger" State of Nigeria): a cue of its own country only
    # where ACLED-style notes write a division, as a part of a bracketed place chain
    country_names = {x["names"][0]: x["code"] for x in nations if x.get("names")}
    namesakes = {}
    for p, ccs in sorted(cues.items()):
        if p in country_names and len(ccs) == 1:
            (cc,) = ccs
            if cc != country_names[p]:
                namesakes.setdefault(cc, []).append(p)
        if len(ccs) != 1 or p.lower() in taken:
            continue
        (cc,) = ccs
        if big.get(p, set()) - {cc}:
            continue
        out.setdefault(cc, []).append(p)
    doc = ("Country cues from the names of the world's first-level administrative divisions, "
           "made by tools/make-division-cues.py from the gazetteer's bundled divisions.txt and "
           "regions.tsv (GeoNames, CC BY 4.0); see the tool for what is left out. Extend or "
           "override with --actors FILE holding a \"divisions\" map in the same format.")
    json.dump({"_doc": doc, "divisions": dict(sorted(out.items())),
               "country_namesakes": dict(sorted(namesakes.items()))}, sys.stdout,
              ensure_ascii=False, indent=0)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(*sys.argv[1:])
