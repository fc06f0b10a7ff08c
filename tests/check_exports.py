#!/usr/bin/env python3
"""Read sitrep's exports back with Python's own csv and json modules and check their fields.

usage: check_exports.py DIR   (DIR holds acled.csv, events.geojson, timeline.json, control.geojson)
"""
import csv, json, os, re, sys

ACLED = ("event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,"
         "actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,"
         "longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp").split(",")
TYPES = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {"Shelling/artillery/missile attack", "Air/drone strike", "Remote explosive/landmine/IED", "Suicide bomb", "Grenade", "Chemical weapon"},
    "Violence against civilians": {"Attack", "Abduction/forced disappearance", "Sexual violence"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {"Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use", "Headquarters or base established", "Looting/property destruction", "Non-violent transfer of territory", "Other"},
}
failures = []
passed = 0


def check(ok, what):
    global passed
    if ok:
        passed += 1
    else:
        failures.append(what)


d = sys.argv[1]
with open(os.path.join(d, "acled.csv"), newline="", encoding="utf-8") as f:
    reader = csv.DictReader(f)
    check(reader.fieldnames == ACLED, "ACLED header: %s" % reader.fieldnames)
    rows = list(reader)
check(len(rows) > 10, "ACLED rows: %d" % len(rows))
for r in rows:
    check(re.fullmatch(r"[A-Z]{3}\d+", r["event_id_cnty"]) is not None, "event_id_cnty %r" % r["event_id_cnty"])
    check(re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["event_date"]) is not None and r["year"] == r["event_date"][:4], "date %r" % r["event_date"])
    check(r["time_precision"] in {"1", "2", "3"} and r["geo_precision"] in {"1", "2", "3"}, "precisions %r %r" % (r["time_precision"], r["geo_precision"]))
    check(r["sub_event_type"] in TYPES.get(r["event_type"], set()), "type %r / %r" % (r["event_type"], r["sub_event_type"]))
    check(r["fatalities"].isdigit(), "fatalities %r" % r["fatalities"])
    check(r["notes"].strip() != "", "notes empty")
    if r["latitude"]:
        lat, lon = float(r["latitude"]), float(r["longitude"])
        check(-90 <= lat <= 90 and -180 <= lon <= 180 and r["location"], "coordinates %r %r" % (lat, lon))
check(any(r["sub_event_type"] == "Government regains territory" and r["actor1"].startswith("Military Forces of Syria") for r in rows), "a government capture by the Syrian army")
check(any(r["fatalities"] == "6" for r in rows), "the six Hezbollah dead")

with open(os.path.join(d, "events.geojson"), encoding="utf-8") as f:
    g = json.load(f)
check(g.get("type") == "FeatureCollection" and len(g["features"]) > 5, "GeoJSON collection")
for feat in g["features"]:
    lon, lat = feat["geometry"]["coordinates"]
    check(feat["type"] == "Feature" and feat["geometry"]["type"] == "Point", "feature type")
    check(-180 <= lon <= 180 and -90 <= lat <= 90 and 30 < lat < 40 and 34 < lon < 40, "RFC 7946 order (lon, lat) in the Levant: %r" % feat["geometry"]["coordinates"])
    check(feat["properties"]["earliest"] <= feat["properties"]["latest"], "interval order")

with open(os.path.join(d, "timeline.json"), encoding="utf-8") as f:
    t = json.load(f)
check("headline" in t["title"]["text"] and len(t["events"]) > 10, "TimelineJS title and events")
for ev in t["events"]:
    sd = ev["start_date"]
    check(isinstance(sd["year"], int) and 1 <= sd["month"] <= 12 and ("day" not in sd or 1 <= sd["day"] <= 31), "start_date %r" % sd)
    check(ev["text"]["headline"] != "" and ev["unique_id"], "slide text")

with open(os.path.join(d, "control.geojson"), encoding="utf-8") as f:
    c = json.load(f)
check(c["type"] == "FeatureCollection" and len(c["features"]) >= 1, "control collection")
check(any(x["properties"]["side"] == "Syrian government" and x["properties"]["since"] == "2015-05-13" for x in c["features"]), "Tallat Mussa held by the government from 13 May")

for f in failures:
    print("FAIL", f)
print("exports: %d passed, %d failed" % (passed, len(failures)))
sys.exit(1 if failures else 0)
