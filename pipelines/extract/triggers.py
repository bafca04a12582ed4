"""Event trigger words and ACLED's rules for turning them into one event type.

`find_triggers` marks what happens in a sentence (a clash, a killing, a march, tear gas,
an arrest...). `choose_event` applies ACLED's coding conventions to the triggers of one event
and the categories of its participants: two organised armed sides fighting is a battle even
when people die; armed actors harming unarmed people is violence against civilians; a
demonstration that turns violent is a riot; and so on.
"""

import re
import re._constants as sre
import re._parser as sre_parse
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from pipelines.extract.language import (
    LanguagePack,
    alternation,
    lower_matcher,
    lowered,
    matches_at,
)

BATTLES = "Battles"
REMOTE = "Explosions/Remote violence"
VAC = "Violence against civilians"
PROTESTS = "Protests"
RIOTS = "Riots"
STRATEGIC = "Strategic developments"


@dataclass(frozen=True)
class Trigger:
    kind: str  # what happened, e.g. 'clash', 'kill', 'protest' (seeds/reference/trigger_kinds.csv)
    event_type: str  # the ACLED pair this trigger suggests on its own
    sub_event_type: str
    start: int  # character offsets in the sentence
    end: int
    text: str
    strength: float  # 0..1: how surely the words denote an event of that kind
    negated: bool
    violent: bool
    # Told in the passive ('two soldiers were shot'): who it befell is named before the word.
    passive: bool = False
    # Sentence offsets of the clause the words stand in (up to a comma or a clause opener):
    # who they befell is named inside it.
    clause: tuple[int, int] = (0, 0)


def _negation_pattern(pack: LanguagePack) -> re.Pattern:
    """Negation or hedging a few words before a trigger, within the same clause; an
    intention ('hopes to swap the soldiers captured in Kursk') governs its whole clause, up
    to a relative pronoun ('plans to arrest the men who killed...': the killing happened), and
    so does the crime someone is arrested for, charged with or convicted of (`charge`: 'held
    on suspicion of taking part in the riots and the looting of shops'), up to the verb of
    the sentence ('two men accused of belonging to the gang were killed': they were)."""
    cues = pack.cue_phrases.get("negation", []) + pack.cue_phrases.get("hedge", [])
    near = r"(?<!\w)" + alternation(cues) + r"(?!\w)[^.;,]{0,25}$"
    openers = pack.cue_phrases.get("clause_opener", [])
    patterns = [near]
    for cue, stops in (("intention", openers),
                       ("charge", openers + pack.cue_phrases.get("main_verb", []))):
        if pack.cue_phrases.get(cue):
            stop = alternation(stops)
            patterns.append(rf"(?<!\w){alternation(pack.cue_phrases[cue])}(?!\w)"
                            rf"(?:(?!\b{stop}\b)[^.;,]){{0,100}}$")
    return re.compile("|".join(patterns), re.I)


def _clause_edge_pattern(pack: LanguagePack) -> re.Pattern:
    """Where a clause ends: punctuation, or a clause opener ('after', 'when', 'qui')."""
    openers = alternation(pack.cue_phrases.get("clause_opener", []))
    return re.compile(rf"[.;,:()\[\]]|(?<!\w){openers}(?!\w)", re.I)


def _clause(text: str, start: int, end: int, edge: re.Pattern) -> tuple[int, int]:
    """The offsets of the clause the words at start:end stand in."""
    left = max((m.end() for m in edge.finditer(text, max(0, start - 200), start)), default=0)
    right = edge.search(text, end)
    return left, right.start() if right else len(text)


def _passive_pattern(pack: LanguagePack) -> re.Pattern | None:
    """The pack's passive auxiliary right before a trigger ('were killed', 'ont été tués',
    'fueron asesinados'), an adverb or one more verb allowed between ('was reportedly shot',
    'was shot and killed')."""
    auxiliaries = pack.cue_phrases.get("passive")
    if not auxiliaries:
        return None
    return re.compile(rf"(?<!\w){alternation(auxiliaries)}\s+(?:\w+\s+){{0,2}}$", re.I)


def _future_time_pattern(pack: LanguagePack) -> re.Pattern | None:
    """A time still to come later in the trigger's clause ('called a hartal in the district
    for Saturday', 'talks in Geneva next month', 'troops in the coming days'): the act is
    planned or expected, not done. The clause ends at a comma, a semicolon or a clause opener
    ('clashed on Monday and said they would return next week' keeps the clash). The time may
    also stand alone between commas right after the clause ('invités à un rassemblement,
    samedi prochain, sur la place'); a clause after the comma that goes on past it ('marched on
    Friday, tomorrow they will march again') is another act."""
    phrases = pack.cue_phrases.get("future_time", [])
    if not phrases:
        return None
    stops = alternation(pack.cue_phrases.get("clause_opener", [])
                         + pack.cue_phrases.get("conjunction", []))
    clause = rf"(?:(?!\b{stops}\b)[^.;,]){{0,70}}?"
    time = alternation(phrases)
    return re.compile(rf"{clause}(?:(?<!\w){time}(?!\w)|,\s*{time}(?=\s*(?:[,.;]|$)))", re.I)


def _standing_patterns(pack: LanguagePack) -> tuple[re.Pattern | None, re.Pattern | None]:
    """A curfew or a state of emergency already in force, not imposed now: extended, renewed
    or kept ('extended the curfew in X, Y and Z', 'prolonger l'état d'urgence'; the cue up to
    100 characters before it in the sentence, within its clause), or said after it to remain
    in force or to be one that would be imposed ('a curfew announced on Saturday remains in
    force', 'a curfew would be imposed on the road if...'; in its clause, up to a conjunction:
    'imposed a curfew from Thursday and said it would remain in force' is imposed), also as
    an apposition right after the clause ('el toque de queda en X, vigente desde mayo, ...')."""
    before, after = (pack.cue_phrases.get(f"standing_measure_{side}")
                     for side in ("before", "after"))
    openers = alternation(pack.cue_phrases.get("clause_opener", []))
    stops = alternation(pack.cue_phrases.get("conjunction", []))
    return (
        re.compile(rf"(?<!\w){alternation(before)}(?!\w)(?:(?!\b{openers}\b)[^.;]){{0,100}}$",
                   re.I) if before else None,
        re.compile(rf"(?:(?!\b{stops}\b)[^.;,]){{0,80}}?(?:,\s*)?(?<!\w){alternation(after)}(?!\w)",
                   re.I) if after else None)


@dataclass(frozen=True)
class _Compiled:
    negation: re.Pattern
    passive: re.Pattern | None
    clause_edge: re.Pattern
    future_after: re.Pattern | None  # a time to come after the trigger, in its clause
    standing: tuple[re.Pattern | None, re.Pattern | None]  # a measure already in force
    not_event: re.Pattern | None  # for the sentence as written
    not_event_lower: re.Pattern | None  # the same, for the lowered sentence
    # Per kind, the pattern for the lowered sentence (`lower_matcher`), or None: the kind
    # reads the sentence as written.
    lower: dict[str, re.Pattern | None]
    # Every position where a kind read lowered can match (a zero-width look-ahead over all
    # their phrases), and one union of the kinds read as written.
    starts: re.Pattern | None
    any_as_written: re.Pattern | None
    # `starts` split by the letter a phrase starts with (`_StartsByLetter`), when possible.
    starts_by_letter: "_StartsByLetter | None" = None


# Every trigger pattern is one alternation between these word edges (`load_pack`).
_EDGES = (r"(?<!\w)", r"(?!\w)")


def _starts(patterns: list[re.Pattern]) -> re.Pattern | None:
    """Where any of `patterns` matches: their phrases in one alternation behind one word
    edge, four times faster than the patterns side by side (each checking its own edge)."""
    inner = [p.pattern[len(_EDGES[0]):-len(_EDGES[1])] for p in patterns
             if p.pattern.startswith(_EDGES[0]) and p.pattern.endswith(_EDGES[1])]
    if not patterns or len(inner) < len(patterns):
        return None
    return re.compile(rf"{_EDGES[0]}(?=(?:{'|'.join(inner)}){_EDGES[1]})", patterns[0].flags)


@dataclass(frozen=True)
class _StartsByLetter:
    """`_starts`' positions found faster: at each word start, only the phrases that may begin
    with the character there are tried (the engine enters every phrase group at each word start
    otherwise). The same positions: a position is one where some phrase matches, whatever
    order the phrases are tried in."""

    word_starts: re.Pattern  # a word edge before a character some phrase may begin with
    by_character: dict[str, re.Pattern]  # that character -> `_starts` over those phrases

    @classmethod
    def of(cls, patterns: list[re.Pattern]) -> "_StartsByLetter | None":
        """None when a phrase may begin with any character, or match nothing (the caller
        then runs `_starts` as is)."""
        if not patterns or any(p.flags & re.I for p in patterns):
            return None
        flags = patterns[0].flags
        grouped: dict[str, list[str]] = {}
        for pattern in patterns:
            for phrase in _alternatives(pattern.pattern[len(_EDGES[0]):-len(_EDGES[1])]):
                first = _first_characters(sre_parse.parse(phrase, flags))
                if first is None or first[1] or not first[0]:
                    return None
                for character in first[0]:
                    grouped.setdefault(character, []).append(phrase)
        characters = "".join(re.escape(c) for c in sorted(grouped))
        return cls(re.compile(rf"{_EDGES[0]}[{characters}]", flags),
                   {c: re.compile(rf"{_EDGES[0]}(?=(?:{'|'.join(phrases)}){_EDGES[1]})", flags)
                    for c, phrases in grouped.items()})

    def positions(self, text: str) -> tuple[int, ...]:
        """What `tuple(m.start() for m in starts.finditer(text))` gives."""
        found = []
        for edge in self.word_starts.finditer(text):
            start = edge.start()
            if self.by_character[text[start]].match(text, start):
                found.append(start)
        return tuple(found)


def _alternatives(source: str) -> list[str]:
    """The top-level alternatives of a pattern's source, opening the groups that hold only an
    alternation ('(?:a|b)|c' -> ['a', 'b', 'c'])."""
    parts = _split_top_level(source)
    if len(parts) > 1:
        return [phrase for part in parts for phrase in _alternatives(part)]
    if source.startswith("(?:") and _closing_paren(source) == len(source) - 1:
        return _alternatives(source[3:-1])
    return parts


def _split_top_level(source: str) -> list[str]:
    """`source` cut at each '|' outside groups and character classes."""
    parts, start, depth = [], 0, 0
    for index, char in _syntax(source):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "|" and depth == 0:
            parts.append(source[start:index])
            start = index + 1
    return [*parts, source[start:]]


def _closing_paren(source: str) -> int | None:
    """Where the group opened by `source`'s first character closes."""
    depth = 0
    for index, char in _syntax(source):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return index
    return None


def _syntax(source: str) -> Iterator[tuple[int, str]]:
    """The offsets and characters of `source` that are regex syntax: not escaped, not inside
    a character class."""
    index = 0
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            index += 1
            if source[index:index + 1] == "^":
                index += 1
            if source[index:index + 1] == "]":  # a ']' first in a class is one of its characters
                index += 1
            while index < len(source) and source[index] != "]":
                index += 2 if source[index] == "\\" else 1
            index += 1
            continue
        yield index, char
        index += 1


_ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def _first_characters(items) -> tuple[set[str], bool] | None:
    """The characters a match of parsed pattern `items` may begin with, and whether it may be
    empty; None when any character may begin it (or the pattern is of a shape not read here)."""
    characters: set[str] = set()
    for op, argument in items:
        if op in _ZERO_WIDTH:
            continue  # consumes nothing: the next item begins the match
        if op is sre.LITERAL:
            return characters | {chr(argument)}, False
        if op is sre.IN:
            for kind, value in argument:
                if kind is sre.LITERAL:
                    characters.add(chr(value))
                elif kind is sre.RANGE and value[1] - value[0] < 256:
                    characters.update(chr(c) for c in range(value[0], value[1] + 1))
                else:
                    return None  # a negated set, a category ('\\w')
            return characters, False
        if op is sre.SUBPATTERN:
            if argument[1] or argument[2]:
                return None  # flags changed inside
            inner = _first_characters(argument[3])
        elif op is sre.ATOMIC_GROUP:
            inner = _first_characters(argument)
        elif op is sre.BRANCH:
            branches = [_first_characters(branch) for branch in argument[1]]
            if any(b is None for b in branches):
                return None
            inner = (set().union(*(b[0] for b in branches)), any(b[1] for b in branches))
        elif op in _REPEATS:
            low, _, body = argument
            inner = _first_characters(body)
            inner = inner and (inner[0], inner[1] or low == 0)
        else:
            return None
        if inner is None:
            return None
        characters |= inner[0]
        if not inner[1]:
            return characters, False
    return characters, True


def _union(patterns: list[re.Pattern]) -> re.Pattern | None:
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), patterns[0].flags) \
        if patterns else None


@cache
def _compiled(pack: LanguagePack) -> _Compiled:
    """The pack's negation and not-event patterns, and the trigger patterns as they are run."""
    lower = {kind: lower_matcher(pattern) for kind, pattern in pack.triggers.items()}
    starts = _starts([p for p in lower.values() if p is not None])
    by_letter = _StartsByLetter.of([p for p in lower.values() if p is not None]) \
        if starts is not None else None
    if starts is None:  # a pattern of another shape: every kind reads the sentence as written
        lower = dict.fromkeys(lower)
    not_event = pack.cue("not_event")
    return _Compiled(
        negation=_negation_pattern(pack), passive=_passive_pattern(pack),
        clause_edge=_clause_edge_pattern(pack), future_after=_future_time_pattern(pack),
        standing=_standing_patterns(pack),
        not_event=not_event,
        not_event_lower=lower_matcher(not_event) if not_event else None, lower=lower,
        starts=starts, starts_by_letter=by_letter,
        any_as_written=_union([pack.triggers[k] for k, p in lower.items() if p is None]))


# A count's digits repeated in brackets after its words, as the Haitian press writes them
# ('sezi twa (3) zam', 'quatre (4) fusils').
_BRACKETED_DIGITS = re.compile(r"\((\d[\d .,]*)\)")


def _masked(sentence: str, compiled: _Compiled) -> tuple[str, str | None]:
    """The sentence with what is no event ('fire brigade', 'shot a film') blanked out and
    bracketed digits written as one word ('(4)' -> '_4_', same length, so that a phrase
    allowing a few words between its verb and its noun, 'sezi twa (3) zam', still matches),
    and the same lowered (None when lowering moves offsets)."""
    sentence = _BRACKETED_DIGITS.sub(lambda m: "_" + m.group(1).replace(" ", "_") + "_",
                                     sentence)
    low = lowered(sentence)
    if compiled.not_event is None:
        return sentence, low
    if low is None or compiled.not_event_lower is None:
        masked = compiled.not_event.sub(lambda m: " " * len(m.group(0)), sentence)
        return masked, lowered(masked)
    spans = [m.span() for m in compiled.not_event_lower.finditer(low)]
    for start, end in spans:
        blank = " " * (end - start)
        sentence, low = (text[:start] + blank + text[end:] for text in (sentence, low))
    return sentence, low


@lru_cache(maxsize=64)
def _scan(sentence: str, pack: LanguagePack
          ) -> tuple[str, str | None, tuple[int, ...], int | None]:
    """The masked sentence, the same lowered (None when lowering moves offsets), every
    position where a kind read lowered may match, and where the first match of any kind
    starts (None: no trigger). Cached because extraction asks `may_trigger`, then
    `find_triggers`, of the same sentence one after the other."""
    compiled = _compiled(pack)
    masked, low = _masked(sentence, compiled)
    if low is None or compiled.starts is None:  # every kind reads the sentence as written
        return masked, None, (), 0
    candidates = compiled.starts_by_letter.positions(low) if compiled.starts_by_letter \
        else tuple(m.start() for m in compiled.starts.finditer(low))
    written = compiled.any_as_written.search(masked) if compiled.any_as_written else None
    firsts = candidates[:1] + ((written.start(),) if written else ())
    return masked, low, candidates, min(firsts, default=None)


def may_trigger(sentence: str, pack: LanguagePack) -> bool:
    """False when `find_triggers` would find nothing, for a quarter of its cost: most sentences
    of an article (quotes, background, bylines) have no trigger and need no further reading."""
    return _scan(sentence, pack)[3] is not None


STATE = {"state_forces", "external_forces"}
ARMED = {"political_militia", "identity_militia", "rebel_group"}
# Kinds of harm done to people: who it fell on decides between a battle and an attack.
HARM_KINDS = {"kill", "injure", "attack"}
# Kinds that name a bomb, a grenade, a drone or a missile.
REMOTE_KINDS = {"drone", "explosive", "grenade", "shelling", "suicide", "chemical"}
# Kinds of measures imposed on a place (curfews, states of emergency, bans on gatherings):
# ACLED's change to group/activity; one extended, renewed or said to remain in force is no
# event of the day (`_standing_patterns`).
MEASURE_KINDS = {"measure"}
MEASURE_TYPE = "Change to group/activity"


def find_triggers(sentence: str, pack: LanguagePack) -> list[Trigger]:
    """Every trigger phrase of `pack` in `sentence`, with negation and hedging read from the
    words just before it."""
    compiled = _compiled(pack)
    negation = compiled.negation
    masked, low, candidates, first = _scan(sentence, pack)
    triggers: list[Trigger] = []
    if first is None:
        return triggers
    for kind, pattern in pack.triggers.items():
        spec = pack.trigger_kinds[kind]
        lower = compiled.lower[kind] if low is not None else None
        # No kind matches before the first match of their union: a kind read as written
        # searches from there (the pattern still sees the text before, for its look-behind).
        for match in (matches_at(lower, low, candidates) if lower
                      else pattern.finditer(masked, first)):
            start, end = match.span()
            before = masked[max(0, start - 140):start]
            triggers.append(Trigger(
                kind=kind, event_type=spec.event_type, sub_event_type=spec.sub_event_type,
                start=start, end=end, text=masked[start:end],
                strength=spec.strength,
                negated=bool(negation.search(before)) or _planned(masked, end, compiled)
                or (kind in MEASURE_KINDS and _standing(masked, before, end, compiled)),
                violent=spec.violent,
                passive=bool(compiled.passive and compiled.passive.search(before[-40:])),
                clause=_clause(masked, start, end, compiled.clause_edge)
                if kind in HARM_KINDS else (0, 0),
            ))
    return sorted(_outside_longer(triggers), key=lambda t: t.start)


def _planned(masked: str, end: int, compiled: _Compiled) -> bool:
    """Whether a time to come follows the trigger in its clause (`_future_time_pattern`)."""
    return compiled.future_after is not None and compiled.future_after.match(masked, end) is not None


def _standing(masked: str, before: str, end: int, compiled: _Compiled) -> bool:
    """Whether the measure told at masked[..end] is one already in force, extended or kept, or
    one that would be imposed (`_standing_patterns`); `before` is the text before it."""
    earlier, later = compiled.standing
    return bool(earlier and earlier.search(before)) or \
        bool(later and later.match(masked, end))


# Kinds whose word can sit inside a longer phrase that says something else: a strike day
# called a 'dead town' ('journée ville morte'), people who 'fell into the bandits' hands'
# (taken, not a town overtaken), people 'treated for gunshot wounds' (a toll of wounded, not
# gunfire heard).
NESTED_KINDS = {"kill", "overtake", "regain", "gunfire"}
# Kinds whose word inside a longer trigger of only these kinds says something else: the
# protests of 'banned all protests' are the ban's object, not a march; the 'kidnapped' of
# 'secuestraron dos camiones' took trucks, not people (a looting).
NESTED_IN = {"protest": {"measure"}, "kidnap": {"destruction"}}


def _outside_longer(triggers: list[Trigger]) -> list[Trigger]:
    """The triggers without those of NESTED_KINDS (or NESTED_IN) that lie inside a longer
    trigger of another kind: the longer phrase tells what the words mean there."""
    return [t for t in triggers
            if (t.kind not in NESTED_KINDS and t.kind not in NESTED_IN)
            or not any(o.kind != t.kind and o.start <= t.start and t.end <= o.end
                       and o.end - o.start > t.end - t.start
                       and (t.kind in NESTED_KINDS or o.kind in NESTED_IN[t.kind])
                       for o in triggers)]


def choose_event(triggers: list[Trigger], participant_categories: set[str],
                 agent_categories: set[str] | None = None,
                 harm_sides: tuple[set[str], set[str]] | None = None
                 ) -> tuple[str, str, float] | None:
    """ACLED's event type for one event: (event_type, sub_event_type, confidence) or None.

    `agent_categories` are those of the participants who act (named before the verb, or
    after 'by'): they decide who took a town when both sides are named. `harm_sides` are
    the categories of those who did the lead's harm and of those it fell on (`grouping.
    harm_sides`): armed men hurt by armed men fought."""
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

    if "seizure" in kinds and not hurt and not (kinds & {"clash", "attack"}):
        if "group_change" in kinds and "arrest" not in kinds:
            # Fighters who gave themselves up and handed in their guns change their group
            # ('se sont rendus au commissariat, où ils ont remis six armes'); guns handed
            # in alone ('la brigade a remis neuf armes à la police') are weapons disrupted.
            return pick(STRATEGIC, "Change to group/activity", "group_change")
        if "arrest" in kinds and not kinds & REMOTE_KINDS:
            # Men arrested with the guns and cash found on them are arrests, whether or not
            # the text calls the police operation a raid.
            return pick(STRATEGIC, "Arrests", "arrest")
        # A bomb defused, a suicide vest found, missiles intercepted: weapons disrupted.
        return pick(STRATEGIC, "Disrupted weapons use", "seizure")
    if "sexual" in kinds:
        return pick(VAC, "Sexual violence", "sexual")
    if "lynch" in kinds:
        return pick(RIOTS, "Mob violence", "lynch")
    if "suicide" in kinds:
        return pick(REMOTE, "Suicide bomb", "suicide")
    if "chemical" in kinds and "intervention" not in kinds:
        # Police 'using only chemical agents' to clear a road or a crowd use tear gas.
        return pick(REMOTE, "Chemical weapon", "chemical")
    for kind, sub in (("drone", "Air/drone strike"), ("explosive", "Remote explosive/landmine/IED"),
                      ("grenade", "Grenade"), ("shelling", "Shelling/artillery/missile attack")):
        if kind in kinds and (harm or kind in {"drone", "explosive"} or "clash" in kinds):
            return pick(REMOTE, sub, kind)
    if _agreement_leads(live, kinds):
        return pick(STRATEGIC, "Agreement", "agreement")
    if (crowd or "riot" in kinds) and "clash" in kinds and not armed:
        # Youths or protesters clashing with the police: a riot, not a battle. So is a clash
        # told with stones or petrol bombs thrown ('threw stones; gendarmes fought back'),
        # whoever the text names: unarmed crowds fight that way, armed groups do not.
        return pick(RIOTS, "Violent demonstration", "clash", "riot")
    if protest and (kinds & {"protest", "riot", "barricade", "intervention"}):
        if kinds & {"riot", "barricade", "destruction"} or "rioters" in participant_categories:
            return pick(RIOTS, "Violent demonstration", "riot", "barricade", "protest")
        if "kill" in kinds and state and not (agent_categories or set()) & ARMED:
            # Force against protesters is the state's; gunmen firing on a vigil or a march,
            # with the police only telling of it, attack civilians.
            return pick(PROTESTS, "Excessive force against protesters", "kill", "protest")
        if "intervention" in kinds or ("arrest" in kinds and state):
            return pick(PROTESTS, "Protest with intervention", "intervention", "protest")
        if not (kinds & {"clash", "kill", "kidnap"}):
            return pick(PROTESTS, "Peaceful protest", "protest")
    if _barricades_dispersed(kinds):
        return pick(RIOTS, "Violent demonstration", "barricade", "intervention")
    if "riot" in kinds and not (kinds & {"clash", "kill", "kidnap"}):
        return pick(RIOTS, "Violent demonstration", "riot")
    if "barricade" in kinds and not (hurt | (kinds & {"clash", "kidnap", "destruction"})):
        return pick(STRATEGIC, "Other", "barricade")
    if "transfer" in kinds and not hurt and "clash" not in kinds:
        return pick(STRATEGIC, "Non-violent transfer of territory", "transfer")
    if kinds & {"regain", "overtake"}:
        agents = agent_categories or set()
        if agents & ARMED and not agents & STATE:
            by_state = False  # 'al-Shabaab recaptured Macomia'
        elif agents & STATE:
            by_state = True  # 'the army took control of the town'
        else:
            by_state = ("regain" in kinds and state) or (state and not armed)
        if by_state:
            return pick(BATTLES, "Government regains territory", "regain", "overtake")
        return pick(BATTLES, "Non-state actor overtakes territory", "overtake", "regain")
    # Two organised armed sides: the state and an armed group, or two kinds of armed group
    # ('a vigilante militia killed ten gang members': a battle, as ACLED codes it).
    two_sides = (state and armed) or ("clash" in kinds) or \
        len(participant_categories & ARMED) >= 2
    if "clash" in kinds and (armed or state or not civilians):
        return pick(BATTLES, "Armed clash", "clash")
    if _arrests_of_a_raid(live, kinds):
        return pick(STRATEGIC, "Arrests", "arrest")
    if "offensive" in kinds and (armed or state) and not civilians:
        return pick(BATTLES, "Armed clash", "offensive")
    if harm and _armed_harmed_by_armed(*(harm_sides or (set(), set()))):
        return pick(BATTLES, "Armed clash", "kill", "injure", "attack")
    if "kidnap" in kinds and not hurt:
        # People shot or beaten as others were taken: the codebook's attack with abduction.
        return pick(VAC, "Abduction/forced disappearance", "kidnap")
    if "destruction" in kinds and not hurt and not ("attack" in kinds and civilians):
        # Houses burned or looted by people who also 'attacked' the residents: ACLED codes
        # the attack on civilians. An arson called 'an attack' with no one attacked ('un
        # ataque de sabotaje') stays property destruction.
        return pick(STRATEGIC, "Looting/property destruction", "destruction")
    if harm and two_sides and not civilians:
        return pick(BATTLES, "Armed clash", "kill", "injure", "attack")
    if harm or "offensive" in kinds:
        return pick(VAC, "Attack", "kill", "injure", "attack", "offensive")
    if "kidnap" in kinds:
        return pick(VAC, "Abduction/forced disappearance", "kidnap")
    # A curfew or a state of emergency imposed ('measure') is ACLED's change to group/activity,
    # also when troops are deployed to enforce it (a deployment alone stays 'other').
    for kind in ("destruction", "arrest", "seizure", "agreement", "base", "group_change",
                 "transfer", "overtake", "regain", "intervention", "measure", "gunfire", "other"):
        if kind in {"base", "group_change"} and not (armed or state):
            continue  # residents "joining forces" to clean a street change no armed group
        if kind in kinds:
            spec = next(t for t in live if t.kind == kind)
            event_type, sub_event_type = spec.event_type, spec.sub_event_type
            if kind in {"overtake", "regain"}:
                event_type, sub_event_type = BATTLES, "Armed clash"
            if kind == "intervention":
                event_type, sub_event_type = _intervention_on(civilians)
            return pick(event_type, sub_event_type, kind)
    return None


# 'barricades' alone may be the police's ('police had blocked the road with barricades');
# burning tyres, stones and damage are the crowd's own.
_BARE_BARRICADE = re.compile(r"barri[ck]ad\w*|barikad", re.I)


def crowd_violence(trigger: Trigger) -> bool:
    """Whether a trigger tells demonstrators' own violence (ACLED's violent demonstration):
    stones, damage, burning barricades."""
    return not trigger.negated and (trigger.kind in {"riot", "destruction"} or (
        trigger.kind == "barricade" and not _BARE_BARRICADE.fullmatch(trigger.text)))


def _armed_harmed_by_armed(doers: set[str], harmed: set[str]) -> bool:
    """Police officers, soldiers or members of an armed group killed, wounded or attacked by
    armed men, or by men the text does not name ('two soldiers were shot dead'): armed sides
    fought, a battle by ACLED's codebook, even when a bystander was hurt too. Not when those
    who acted are civilians or a crowd (residents beating a gang member)."""
    if not harmed & (STATE | ARMED) or doers & {"civilians", "protesters", "rioters"}:
        return False
    return bool(doers & (STATE | ARMED)) or not doers


def _arrests_of_a_raid(live: list[Trigger], kinds: set[str]) -> bool:
    """'In a separate operation, police arrested four men', 'en un operativo en el centro,
    agentes detuvieron a tres hombres': a raid or an operation that arrested people and hurt no one is an arrest
    (the fighting or harm it met would be named: clash, kill, injure, attack). Not soldiers
    'captured' in an offensive: prisoners of a battle."""
    if "offensive" not in kinds or \
            kinds & ({"clash", "kill", "injure", "attack", "kidnap", "gunfire"} | REMOTE_KINDS):
        return False
    return any(t.kind == "arrest" and not t.text.lower().startswith(BATTLE_CAPTURE)
               for t in live)


# The word of a battle's prisoners rather than of a police arrest.
BATTLE_CAPTURE = "captur"


def _agreement_leads(live: list[Trigger], kinds: set[str]) -> bool:
    """'Unions signed an agreement with the government, ending a week-long strike': the deal
    is what the sentence reports when it comes first; the protest it ends is background.
    Not when anyone was hurt or fought (a truce broken the same day is the fighting)."""
    return live[0].kind == "agreement" and not kinds & {"kill", "injure", "clash", "attack",
                                                        "kidnap", "riot"}


def _barricades_dispersed(kinds: set[str]) -> bool:
    """'They burned tyres outside the governor's office; police dispersed them with tear gas':
    burning barricades the police had to clear are a violent demonstration, even when no
    word says protest."""
    return {"barricade", "intervention"} <= kinds and not kinds & {"clash", "kill", "kidnap"}


def _intervention_on(civilians: bool) -> tuple[str, str]:
    """Police dispersing, removing or tear-gassing people no word calls protesters ('officers
    removed 200 students sitting on the road') intervene in a protest; with nobody named, a
    dispersal is only a security measure."""
    return (PROTESTS, "Protest with intervention") if civilians else (STRATEGIC, "Other")
