#!/usr/bin/env python3
"""Solves placement matching instances with PyPI's `matching` (the outside reference).

Reads JSON on stdin: one instance, or a list of instances, each

    {"seekers": [{"id": "s1", "choices": ["o2", "o1"], "eligible": true}, ...],
     "offers":  [{"id": "o1", "capacity": 2, "ranking": ["s3", "s1"]}, ...]}

(the same records the Swift engine takes), and prints for each

    {"placements": {"s1": "o2", ...}, "unplaced": {"s2": "allFull", ...}}

using HospitalResident.create_from_dictionaries(...).solve(optimal="resident").

`matching`'s HospitalResident requires each hospital's list to hold exactly the residents that
ranked it, every list to be non-empty and capacities to be at least 1; the engine instead takes
both sides' lists as given and matches only mutually acceptable pairs. So the game is built from
the mutually acceptable pairs alone: a seeker's list keeps the offers that rank them, an offer's
list keeps the seekers that listed it (in the host's order), and seekers who are not approved,
offers with capacity 0 and anyone left with an empty list are left out of the game. Unknown ids
and repeats are dropped (first occurrence counts), as the engine does. Any warning from `matching`
is an error here, so a game that breaks its rules fails loudly instead of being silently "cleaned".

The unplaced reasons are computed here directly from their definitions: noApproval for seekers
who are not approved, noAcceptableOffer when no listed offer ranks them, otherwise allFull.
"""

import json
import sys
import warnings

from matching.games import HospitalResident


def unique(items):
    seen = set()
    return [item for item in items if not (item in seen or seen.add(item))]


def solve(instance):
    offers = {offer["id"]: offer for offer in instance["offers"]}
    seekers = {seeker["id"]: seeker for seeker in instance["seekers"]}
    ranked_by = {oid: set(offer["ranking"]) for oid, offer in offers.items()}

    acceptable = {}
    for sid, seeker in seekers.items():
        if seeker.get("eligible", True):
            acceptable[sid] = [oid for oid in unique(seeker["choices"]) if oid in offers and sid in ranked_by[oid]]

    resident_prefs = {sid: [oid for oid in oids if offers[oid]["capacity"] > 0] for sid, oids in acceptable.items()}
    resident_prefs = {sid: oids for sid, oids in resident_prefs.items() if oids}
    hospital_prefs = {}
    for oid, offer in offers.items():
        prefs = [sid for sid in unique(offer["ranking"]) if oid in resident_prefs.get(sid, ())]
        if prefs:
            hospital_prefs[oid] = prefs
    capacities = {oid: offers[oid]["capacity"] for oid in hospital_prefs}

    placements = {}
    if resident_prefs:
        game = HospitalResident.create_from_dictionaries(resident_prefs, hospital_prefs, capacities)
        matching = game.solve(optimal="resident")
        if not game.check_stability():
            raise AssertionError("matching returned an unstable matching")
        for hospital, residents in matching.items():
            for resident in residents:
                placements[resident.name] = hospital.name

    unplaced = {}
    for sid in seekers:
        if sid in placements:
            continue
        if sid not in acceptable:
            unplaced[sid] = "noApproval"
        elif not acceptable[sid]:
            unplaced[sid] = "noAcceptableOffer"
        else:
            unplaced[sid] = "allFull"
    return {"placements": placements, "unplaced": unplaced}


def main():
    warnings.simplefilter("error")
    data = json.load(sys.stdin)
    result = [solve(instance) for instance in data] if isinstance(data, list) else solve(data)
    json.dump(result, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
