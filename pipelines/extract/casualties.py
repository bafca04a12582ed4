"""Fatality and injury counts read from prose ("killing at least seven", "a man was shot dead").

Vague quantities follow ACLED's coding conventions: 'several'/'some'/'a few' killed counts as
3, 'dozens' as 12, 'hundreds' as 100; 'casualties' (killed or wounded, split unknown) counts
as neither.
"""

import re
from dataclasses import dataclass

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a dozen": 12, "dozen": 12,
    "several": 3, "some": 3, "a few": 3, "few": 3, "a couple of": 2, "a couple": 2,
    "dozens": 12, "dozens of": 12, "scores of": 20, "hundreds": 100, "hundreds of": 100,
    "both": 2, "two dozen": 24,
}
_WORDS = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
# A digit count followed by a capitalised word is a name ("400 Mawozo", "5 Segonn"), not a count.
NUMBER = (rf"(?:\d{{1,4}}(?!\s+(?-i:[A-Z]))(?!-year)|(?:{_WORDS})"
          rf"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?)")
QUALIFIER = r"(?:at least |up to |as many as |about |around |nearly |almost |more than |over |some |another |other |a total of )?"
# Between a number and its verb: the people counted ("police officers", "of them", "members of a family").
NOUNS = (r"(?:(?!(?:and|or|but|as|while|when|after|before|then|times|during)\b)"
         r"[\w'-]+,? ){0,8}?")
KILLED = (r"(?:killed|dead|died|murdered|slain|executed|lynched|beheaded|decapitated|"
          r"shot dead|shot and killed|burned alive|burnt alive|burned to death|lost their lives|"
          r"lost his life|lost her life|succumbed|perished|assassinated|massacred|"
          r"hacked to death|stabbed to death|beaten to death|bodies|corpses|fatalities|deaths)")
KILL_VERB = (r"(?:killing|killed|murdering|murdered|executing|executed|lynching|lynched|"
             r"beheading|beheaded|decapitating|decapitated|shooting dead|shot dead|shot and killed|massacring|"
             r"massacred|assassinated|assassinating|claiming the lives of|leaving)")
INJURED = r"(?:injured|wounded|hurt|injuries|hospitali[sz]ed|hit by (?:a )?stray bullets?)"
INJURE_VERB = r"(?:injuring|injured|wounding|wounded|hurting|leaving)"

PASSIVE_PAIR_KILLED = re.compile(
    rf"\b{QUALIFIER}(?P<n>{NUMBER})\s+{NOUNS}and\s+{QUALIFIER}(?P<m>{NUMBER})\s+{NOUNS}"
    rf"(?:(?:were|have been|had been|are|reportedly|also|all)\s+)*{KILLED}\b", re.I)
PASSIVE_KILLED = re.compile(
    rf"\b{QUALIFIER}(?P<n>{NUMBER})\s+{NOUNS}(?:(?:were|was|have been|has been|had been|are|is|"
    rf"being|got|who were|who was|reportedly|also|later|all)\s+)*{KILLED}\b", re.I)
ACTIVE_PAIR_KILLED = re.compile(
    rf"\b{KILL_VERB}\s+{QUALIFIER}(?P<n>{NUMBER})\s+{NOUNS}and\s+{QUALIFIER}(?P<m>{NUMBER})\b"
    rf"(?!\s*(?:p\.?m|a\.?m|%|percent))", re.I)
# One victim named by role: "shot and killed him", "killed the leader of the gang".
ACTIVE_ONE_KILLED = re.compile(
    rf"\b{KILL_VERB}\s+(?P<n>him|her|(?:the|his|her|their)\s+(?:[\w'-]+\s+){{0,3}}?(?:leader|chief|boss|head|"
    rf"owner|driver|director|mayor|judge|officer|agent|policeman|policewoman|pastor|priest|"
    rf"journalist|man|woman|boy|girl|child|baby|son|daughter|wife|husband|brother|sister|father|"
    rf"mother|resident|victim|vice-consul|consul|commissioner|inspector|teacher|student|"
    rf"merchant|vendor|motorcyclist|passenger)\b)", re.I)
ACTIVE_KILLED = re.compile(rf"\b{KILL_VERB}\s+{QUALIFIER}(?P<n>{NUMBER})\b(?!\s*(?:p\.?m|a\.?m|%|percent))(?P<rest>\s+[A-Za-z'-]+(?:\s+[A-Za-z'-]+)?)?", re.I)
BODIES = re.compile(rf"\b(?:the )?bod(?:y|ies) of {QUALIFIER}(?P<n>{NUMBER})\b", re.I)
DEATH_TOLL = re.compile(rf"\bdeath toll (?:\w+ ){{0,3}}?(?:to|of|at|reached) {QUALIFIER}(?P<n>\d+|{NUMBER})\b", re.I)
PASSIVE_INJURED = re.compile(
    rf"\b{QUALIFIER}(?P<n>{NUMBER})\s+{NOUNS}(?:(?:were|was|have been|has been|had been|are|is|"
    rf"being|got|who were|who was|reportedly|also|seriously|critically|badly|slightly)\s+)*{INJURED}\b", re.I)
ACTIVE_INJURED = re.compile(rf"\b{INJURE_VERB}\s+{QUALIFIER}(?P<n>{NUMBER})(?P<rest>\s+[A-Za-z'-]+(?:\s+[A-Za-z'-]+)?)?", re.I)
NO_DEATHS = re.compile(r"\b(?:no one|nobody|no-one|none|no person|no people|no civilians?)\s+"
                       r"(?:\w+\s+){0,3}?(?:killed|died|dead|hurt|injured|wounded|harmed)|"
                       r"\bno (?:deaths|fatalities|casualties|victims|one was killed)\b|"
                       r"\bwithout (?:casualties|causing casualties|injuries)\b", re.I)
NO_INJURIES = re.compile(r"\b(?:no one|nobody|no-one)\s+(?:\w+\s+){0,4}?(?:injured|hurt|wounded)|"
                         r"\bno (?:injuries|casualties)\b", re.I)
# Words after a count that show it counts things, not people ("two vehicles", "15 rounds").
NOT_PEOPLE = re.compile(r"^\s+(?:vehicles?|cars?|houses?|homes?|buildings?|rounds?|shots?|"
                        r"days?|hours?|weeks?|months?|years?|times?|km|kilometres?|miles?|"
                        r"of the (?:vehicles?|houses?))\b", re.I)
# 'leaving' needs a casualty word after the count ("leaving three dead", not "leaving two cars").
LEAVING_NEEDS = re.compile(rf"\s+(?:\w+\s+){{0,3}}?{KILLED}", re.I)
LEAVING_INJURED = re.compile(rf"\s+(?:\w+\s+){{0,3}}?{INJURED}", re.I)


@dataclass(frozen=True)
class Casualties:
    fatalities: int | None  # None: the sentence does not report a number
    injuries: int | None
    fatality_text: str | None
    injury_text: str | None


def to_number(text: str) -> int | None:
    """'seven' -> 7, 'twenty-five' -> 25, '12' -> 12, 'dozens of' -> 12, 'him' -> 1."""
    text = text.lower().strip()
    if text in {"him", "her"} or text.split(" ")[0] in {"the", "his", "her", "their"}:
        return 1
    if text.isdigit():
        return int(text)
    if text in NUMBER_WORDS:
        return NUMBER_WORDS[text]
    parts = re.split(r"[- ]", text)
    if len(parts) == 2 and parts[0] in NUMBER_WORDS and parts[1] in NUMBER_WORDS:
        return NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]]
    return None


def _counts(sentence: str, patterns: list[re.Pattern], leaving_check: re.Pattern | None,
            negated: re.Pattern) -> tuple[int | None, str | None]:
    total = 0
    found: list[str] = []
    # Spans already counted (and negations: "no one was injured" is not one injury).
    taken: list[tuple[int, int]] = [m.span() for m in negated.finditer(sentence)]
    for pattern in patterns:
        for match in pattern.finditer(sentence):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            rest = match.groupdict().get("rest") or ""
            if rest and NOT_PEOPLE.match(rest):
                continue
            if match.group(0).lower().startswith("leaving") and leaving_check is not None \
                    and not leaving_check.match(sentence[match.end("n"):]):
                continue
            value = to_number(match.group("n"))
            if "m" in match.groupdict() and value is not None:
                second = to_number(match.group("m"))
                value = value + second if second is not None else None
            if value is None or 1900 <= value <= 2100:
                continue
            taken.append((start, end))
            total += value
            found.append(match.group(0).strip())
    return (total, "; ".join(found)) if found else (None, None)


def count_casualties(sentence: str) -> Casualties:
    """Fatalities and injuries a sentence reports; None where it reports none."""
    fatalities, fatality_text = _counts(
        sentence, [BODIES, DEATH_TOLL, PASSIVE_PAIR_KILLED, ACTIVE_PAIR_KILLED, ACTIVE_KILLED,
                   ACTIVE_ONE_KILLED, PASSIVE_KILLED],
        LEAVING_NEEDS, NO_DEATHS)
    injuries, injury_text = _counts(
        sentence, [ACTIVE_INJURED, PASSIVE_INJURED], LEAVING_INJURED, NO_INJURIES)
    if fatalities is None and NO_DEATHS.search(sentence):
        fatalities, fatality_text = 0, NO_DEATHS.search(sentence).group(0)
    if injuries is None and NO_INJURIES.search(sentence):
        injuries, injury_text = 0, NO_INJURIES.search(sentence).group(0)
    return Casualties(fatalities, injuries, fatality_text, injury_text)
