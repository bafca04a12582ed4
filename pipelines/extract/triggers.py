"""Event trigger words and ACLED's rules for turning them into one event type.

`find_triggers` marks what happens in a sentence (a clash, a killing, a march, tear gas,
an arrest...). `choose_event` applies ACLED's coding conventions to the triggers of one event
and the categories of its participants: two organised armed sides fighting is a battle even
when people die; armed actors harming unarmed people is violence against civilians; a
demonstration that turns violent is a riot; and so on.
"""

import re
from dataclasses import dataclass

BATTLES = "Battles"
REMOTE = "Explosions/Remote violence"
VAC = "Violence against civilians"
PROTESTS = "Protests"
RIOTS = "Riots"
STRATEGIC = "Strategic developments"


@dataclass(frozen=True)
class Trigger:
    kind: str  # what happened, e.g. 'clash', 'kill', 'protest' (see TRIGGER_PATTERNS)
    event_type: str  # the ACLED pair this trigger suggests on its own
    sub_event_type: str
    start: int  # character offsets in the sentence
    end: int
    text: str
    strength: float  # 0..1: how surely the words denote an event of that kind
    negated: bool
    violent: bool


def _words(*stems: str) -> str:
    return r"\b(?:" + "|".join(stems) + r")\b"


# kind -> (pattern, default event type, default sub-event type, strength, violent)
TRIGGER_PATTERNS: dict[str, tuple[str, str, str, float, bool]] = {
    "clash": (_words(
        r"clash(?:ed|es|ing)?", r"exchanges? of (?:gun)?fire", r"exchanged (?:gun)?fire",
        r"gun ?fights?", r"fire ?fights?", r"shoot-?outs?", r"gun battles?", r"fighting",
        r"fought", r"confront(?:ed|ation|ations|ing)?", r"engaged", r"repel(?:led|s)?",
        r"repuls(?:ed|e)", r"counter-?attack(?:ed)?", r"ambush(?:ed)?", r"armed confrontation",
        r"battles?", r"skirmish(?:es)?", r"opened fire on (?:the )?(?:police|officers|soldiers|troops|agents)",
        r"firepower", r"attack(?:ed|s)? (?:a |the )?(?:police|military|army|sub-?commissariat|commissariat|station|base|patrol)",
    ), BATTLES, "Armed clash", 0.8, True),
    # Words for an armed push that may hit armed opponents or unarmed residents alike.
    "offensive": (_words(r"offensive", r"raid(?:ed|s)?", r"incursions?"),
                  BATTLES, "Armed clash", 0.55, True),
    "regain": (_words(r"retook", r"retaken", r"recaptured?", r"regained control", r"took back",
                      r"liberated", r"reclaimed"), BATTLES, "Government regains territory", 0.8, True),
    "overtake": (_words(r"took control of", r"seized control of", r"overran", r"captured the town",
                        r"took over", r"seized the (?:town|city|village|area|neighbou?rhood|commune)"),
                 BATTLES, "Non-state actor overtakes territory", 0.7, True),
    "drone": (_words(r"drone strikes?", r"air ?strikes?", r"explosive drones?", r"kamikaze drones?",
                     r"drones? (?:attack|strike)s?", r"bombed from the air", r"helicopter fire"),
              REMOTE, "Air/drone strike", 0.9, True),
    "grenade": (_words(r"grenades?"), REMOTE, "Grenade", 0.8, True),
    "explosive": (_words(r"improvised explosive devices?", r"IEDs?", r"landmines?", r"roadside bombs?",
                         r"car bombs?", r"bomb exploded", r"explosive devices?"),
                  REMOTE, "Remote explosive/landmine/IED", 0.85, True),
    "shelling": (_words(r"shell(?:ed|ing)", r"artillery", r"mortars?", r"rockets?", r"missiles?"),
                 REMOTE, "Shelling/artillery/missile attack", 0.8, True),
    "suicide": (_words(r"suicide bomb(?:er|ing)?s?"), REMOTE, "Suicide bomb", 0.95, True),
    "sexual": (_words(r"rap(?:ed|es|ing)", r"gang-?rap(?:ed|es)?", r"sexual(?:ly)? (?:violence|assault(?:ed)?|abuse[ds]?)"),
               VAC, "Sexual violence", 0.9, True),
    "kidnap": (_words(r"kidnap(?:ped|ping|pings|s)?", r"abduct(?:ed|ion|ions|ing|s)?",
                      r"taken hostage", r"held hostage", r"hostages?"),
               VAC, "Abduction/forced disappearance", 0.9, True),
    "kill": (_words(r"kill(?:ed|ing|s)?", r"shot dead", r"murder(?:ed|s)?", r"assassinat(?:ed|ion)",
                    r"executed", r"beheaded", r"decapitated", r"massacre[ds]?", r"burned alive",
                    r"died", r"dead", r"bod(?:y|ies)", r"corpses?", r"lost (?:their|his|her) li(?:fe|ves)",
                    r"stabbed", r"hacked", r"beat(?:en)? to death"),
             VAC, "Attack", 0.75, True),
    "injure": (_words(r"shot", r"shooting", r"gunshots? wounds?", r"injur(?:ed|ing|ies)",
                      r"wound(?:ed|ing)", r"assault(?:ed)?", r"beat(?:en|ing)?", r"beat up",
                      r"stray bullets?", r"tortur(?:ed|e)", r"mutilated", r"burned"),
               VAC, "Attack", 0.65, True),
    "attack": (_words(r"attack(?:ed|s|ing)?", r"opened fire", r"fired (?:at|on|shots at|against)",
                      r"terrori[sz]ed", r"targeted", r"invaded", r"invasion", r"stormed"),
               VAC, "Attack", 0.6, True),
    "lynch": (_words(r"lynch(?:ed|ing|ings)?", r"mob justice", r"vigilante justice",
                     r"mob (?:killed|attacked|beat|burned)", r"angry mob", r"a mob"),
              RIOTS, "Mob violence", 0.9, True),
    # 'march' is matched in lower case only: capitalised, it is the month.
    "protest": (_words(r"protest(?:ed|s|ing|ers)?", r"demonstrat(?:ion|ions|ors|ed|ing)",
                       r"(?-i:march(?:ed|es|ing)?)", r"rall(?:y|ies|ied)", r"sit-?ins?", r"strikes? by",
                       r"mobili[sz]ation", r"mobili[sz]ed", r"took to the streets",
                       r"denounc(?:e|ed|ing)", r"demanding", r"calling for the (?:departure|resignation)"),
                PROTESTS, "Peaceful protest", 0.8, False),
    "riot": (_words(r"riot(?:s|ed|ing|ers)?", r"threw (?:stones|rocks|bottles)",
                    r"throwing (?:stones|rocks)", r"stone-?throwing"),
             RIOTS, "Violent demonstration", 0.8, True),
    # Barricades are a riot when a crowd protests; alone they are a roadblock (ACLED: Other).
    "barricade": (_words(r"barricades?", r"barricaded", r"burning (?:tires|tyres)",
                         r"burned (?:tires|tyres)", r"burnt (?:tires|tyres)"),
                  RIOTS, "Violent demonstration", 0.6, True),
    "intervention": (_words(r"tear ?gas", r"tear-gas", r"dispers(?:ed|e|ing)", r"water cannons?",
                            r"rubber bullets", r"fired (?:shots )?in the air", r"warning shots"),
                     PROTESTS, "Protest with intervention", 0.8, False),
    "arrest": (_words(r"arrest(?:ed|s|ing)?", r"apprehend(?:ed)?", r"detain(?:ed)?",
                      r"taken into custody", r"captured", r"nabbed", r"in custody"),
               STRATEGIC, "Arrests", 0.8, False),
    "seizure": (_words(r"seiz(?:ed|ure|ures)", r"confiscat(?:ed|ion)", r"intercepted",
                       r"defused", r"dismantled (?:a |an )?(?:bomb|explosive)", r"recovered (?:\w+ )?(?:weapons|firearms|guns|rifles|ammunition)",
                       r"weapons cache", r"arms cache"),
                STRATEGIC, "Disrupted weapons use", 0.75, False),
    "destruction": (_words(r"set (?:on )?fire", r"set ablaze", r"torch(?:ed|ing)", r"burn(?:ed|t|ing) (?:down )?(?:houses?|homes?|vehicles?|cars?|buildings?|the)",
                           r"arson", r"loot(?:ed|ing)", r"plunder(?:ed|ing)", r"destroy(?:ed|ing)",
                           r"demolish(?:ed)?", r"ransack(?:ed)?", r"vandali[sz]ed", r"pillag(?:ed|ing)"),
                    STRATEGIC, "Looting/property destruction", 0.75, False),
    "agreement": (_words(r"ceasefire", r"cease-fire", r"truce", r"peace (?:deal|agreement|accord)",
                         r"signed an? (?:agreement|accord|deal)", r"reached an? agreement",
                         r"adopted a resolution", r"non-aggression pact"),
                  STRATEGIC, "Agreement", 0.7, False),
    "group_change": (_words(r"formed (?:a|an) (?:new )?(?:alliance|coalition|group)", r"new alliance",
                            r"join(?:ed)? forces", r"merged", r"split from", r"disbanded",
                            r"relocated", r"surrender(?:ed)?"),
                     STRATEGIC, "Change to group/activity", 0.6, False),
    "base": (_words(r"(?:established|set up) (?:a |an )?(?:base|headquarters|camp)"),
             STRATEGIC, "Headquarters or base established", 0.7, False),
    "transfer": (_words(r"handed over control", r"withdrew from", r"withdrawal from", r"handover of"),
                 STRATEGIC, "Non-violent transfer of territory", 0.5, False),
    "gunfire": (_words(r"gunfire", r"gunshots?", r"shots (?:were )?(?:fired|heard)",
                       r"heavy shooting", r"sounds? of (?:gun)?fire"),
                STRATEGIC, "Other", 0.45, False),
    "other": (_words(r"patrols?", r"patrolled", r"deployed", r"deployment", r"reopen(?:ed|ing)?",
                     r"roadblocks?", r"checkpoints?", r"curfew", r"state of emergency", r"blocked",
                     r"paraly[sz]ed", r"fled", r"displaced", r"operations?", r"escorted"),
              STRATEGIC, "Other", 0.45, False),
}
COMPILED = {kind: re.compile(spec[0], re.I) for kind, spec in TRIGGER_PATTERNS.items()}
NEGATION = re.compile(
    r"\b(?:no|not|never|nobody|no one|none|without|denied|deny|denies|den(?:y|ied) (?:any|having)|"
    r"failed to|did not|didn't|was not|were not|wasn't|weren't|false(?:ly)?|rumou?rs? of|threat(?:ened)? to|"
    r"warn(?:ed|ing)? (?:of|that)|could|would|plan(?:ned|s)? to|if)\b[^.;,]{0,25}$", re.I)
# Phrases that mention violence without reporting an event.
NOT_EVENTS = re.compile(
    r"\b(?:dead(?:line|lock|ly)|kill switch|attack on democracy|gang violence|"
    r"escalating violence|insecurity|fled their homes|forced to flee)\b", re.I)

STATE = {"state_forces", "external_forces"}
ARMED = {"political_militia", "identity_militia", "rebel_group"}


def find_triggers(sentence: str) -> list[Trigger]:
    """Every trigger phrase in `sentence`, with negation read from the words just before it."""
    triggers: list[Trigger] = []
    masked = NOT_EVENTS.sub(lambda m: " " * len(m.group(0)), sentence)
    for kind, pattern in COMPILED.items():
        _, event_type, sub_event_type, strength, violent = TRIGGER_PATTERNS[kind]
        for match in pattern.finditer(masked):
            before = masked[max(0, match.start() - 40):match.start()]
            triggers.append(Trigger(
                kind=kind, event_type=event_type, sub_event_type=sub_event_type,
                start=match.start(), end=match.end(), text=match.group(0), strength=strength,
                negated=bool(NEGATION.search(before)), violent=violent,
            ))
    return sorted(triggers, key=lambda t: t.start)


def choose_event(triggers: list[Trigger], participant_categories: set[str]
                 ) -> tuple[str, str, float] | None:
    """ACLED's event type for one event: (event_type, sub_event_type, confidence) or None."""
    live = [t for t in triggers if not t.negated]
    if not live:
        return None
    kinds = {t.kind for t in live}
    strength = {kind: max(t.strength for t in live if t.kind == kind) for kind in kinds}
    state = bool(participant_categories & STATE)
    armed = bool(participant_categories & ARMED)
    civilians = "civilians" in participant_categories
    crowd = bool(participant_categories & {"protesters", "rioters"})
    hurt = kinds & {"kill", "injure"}
    harm = hurt | (kinds & {"attack"})
    protest = "protest" in kinds or crowd

    def pick(event_type: str, sub_event_type: str, *evidence: str) -> tuple[str, str, float]:
        confidence = max((strength[k] for k in evidence if k in strength), default=0.5)
        return event_type, sub_event_type, round(confidence, 3)

    if "sexual" in kinds:
        return pick(VAC, "Sexual violence", "sexual")
    if "lynch" in kinds:
        return pick(RIOTS, "Mob violence", "lynch")
    if "suicide" in kinds:
        return pick(REMOTE, "Suicide bomb", "suicide")
    for kind, sub in (("drone", "Air/drone strike"), ("explosive", "Remote explosive/landmine/IED"),
                      ("grenade", "Grenade"), ("shelling", "Shelling/artillery/missile attack")):
        if kind in kinds and (harm or kind in {"drone", "explosive"} or "clash" in kinds):
            return pick(REMOTE, sub, kind)
    if protest and (kinds & {"protest", "riot", "barricade", "intervention"}):
        if kinds & {"riot", "barricade", "destruction"} or "rioters" in participant_categories:
            return pick(RIOTS, "Violent demonstration", "riot", "barricade", "protest")
        if "kill" in kinds and state:
            return pick(PROTESTS, "Excessive force against protesters", "kill", "protest")
        if "intervention" in kinds or ("arrest" in kinds and state):
            return pick(PROTESTS, "Protest with intervention", "intervention", "protest")
        if not (kinds & {"clash", "kill", "kidnap"}):
            return pick(PROTESTS, "Peaceful protest", "protest")
    if "riot" in kinds and not (kinds & {"clash", "kill", "kidnap"}):
        return pick(RIOTS, "Violent demonstration", "riot")
    if "barricade" in kinds and not (hurt | (kinds & {"clash", "kidnap", "destruction"})):
        return pick(STRATEGIC, "Other", "barricade")
    if "regain" in kinds and state:
        return pick(BATTLES, "Government regains territory", "regain")
    if "overtake" in kinds and armed:
        return pick(BATTLES, "Non-state actor overtakes territory", "overtake")
    two_sides = (state and armed) or ("clash" in kinds)
    if "clash" in kinds and (armed or state or not civilians):
        return pick(BATTLES, "Armed clash", "clash")
    if "offensive" in kinds and (armed or state) and not civilians:
        return pick(BATTLES, "Armed clash", "offensive")
    if "kidnap" in kinds and "kill" not in kinds:
        return pick(VAC, "Abduction/forced disappearance", "kidnap")
    if "destruction" in kinds and not hurt:
        return pick(STRATEGIC, "Looting/property destruction", "destruction")
    if harm and two_sides and not civilians:
        return pick(BATTLES, "Armed clash", "kill", "injure", "attack")
    if harm or "offensive" in kinds:
        return pick(VAC, "Attack", "kill", "injure", "attack", "offensive")
    if "kidnap" in kinds:
        return pick(VAC, "Abduction/forced disappearance", "kidnap")
    for kind in ("destruction", "seizure", "arrest", "agreement", "base", "group_change",
                 "transfer", "overtake", "regain", "intervention", "gunfire", "other"):
        if kind in kinds:
            _, event_type, sub_event_type, _, _ = TRIGGER_PATTERNS[kind]
            if kind in {"overtake", "regain"}:
                event_type, sub_event_type = BATTLES, "Armed clash"
            if kind == "intervention":
                event_type, sub_event_type = STRATEGIC, "Other"
            return pick(event_type, sub_event_type, kind)
    return None
