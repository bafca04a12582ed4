"""Fatality and injury counts read from prose ("killing at least seven", "a man was shot dead").

Every word and phrase comes from the language's pack (`seeds/reference/<lang>/casualties.csv`
and `numbers.csv`); the sentence shapes are the same in every language: "<count> <people>
were killed", "killing <count> <people>", "the bodies of <count>", "death toll rose to
<count>". Vague quantities follow ACLED's coding conventions ('several' 3, 'dozens' 12,
'hundreds' 100); 'casualties' (killed or wounded, split unknown) counts as neither.
"""

import re
from dataclasses import dataclass
from functools import cache

from pipelines.extract.language import (
    CaseFree,
    LanguagePack,
    alternation,
    lower_matcher,
    lowered,
    matches_at,
)
from pipelines.extract.text import fold


@dataclass(frozen=True)
class _Patterns:
    """The casualty patterns of one language, built from its phrase lists."""

    # (where the pattern's matches start, pattern): WORD, at or after the first word of
    # `fatality_words` / `injury_words`; COUNT, where `count_starts` finds a count or its
    # qualifier; None, anywhere.
    fatalities: list[tuple[str | None, re.Pattern]]
    injuries: list[tuple[str | None, re.Pattern]]
    # Every fatality pattern needs one of these words somewhere in the sentence (every
    # injury pattern one of the next): a sentence with none skips the patterns. Run on the
    # lowered sentence (`CaseFree`): every sentence of an article is screened.
    fatality_words: CaseFree
    injury_words: CaseFree
    no_deaths: CaseFree
    no_injuries: CaseFree
    not_people: re.Pattern
    leaving_killed: re.Pattern
    leaving_injured: re.Pattern
    needs_noun: re.Pattern
    # right after a count: the count is unverified ('eight dead, a figure that could not be
    # verified'); another count of the sentence is the credible one
    unverified: re.Pattern | None = None
    # right after the second count of a pair: a group told uncounted ('four soldiers and an
    # undetermined number of assailants': four); alone it is still ACLED's vague count
    uncounted: re.Pattern | None = None
    # ages ('two sisters, aged six and 10', 'un comerciante de 45 años'): no count of the dead
    ages: re.Pattern | None = None
    # every age names one of these words: a sentence with none has no age to mask
    age_words: CaseFree | None = None
    # a count of people standing alone, not of the injured ('11', 'at least five')
    bare_count: re.Pattern | None = None
    # every word start where a count or its qualifier may begin ('at least', 'five', '12'),
    # for the lowered sentence (None: a qualifier reads case; COUNT patterns search it all).
    # In every COUNT pattern a space follows the qualifier, and a space or hyphen the number
    # word.
    count_starts: re.Pattern | None = None
    # a quantity with no figure ('several', 'dozens of'): the whole of a count's number
    vague: re.Pattern | None = None


# Words that make a count a part of a group told before it, in every pack's language.
PARTITIVE = r"(?:of|among|des|de|d['’]|parmi|entre|nan|pami|ladan)"

# Where a count pattern's matches can start (`_Patterns.fatalities`).
WORD, COUNT = "word", "count"


@cache
def _patterns(pack: LanguagePack) -> _Patterns:
    phrases = pack.casualty_phrases
    words = lambda role: alternation(phrases.get(role, []))  # noqa: E731
    separators = re.escape(pack.settings.get("thousands_separators", ","))
    number_words = alternation([re.escape(w) for w in _number_surfaces(pack)])
    # A digit count followed by a capitalised word is a name ("400 Mawozo"), not a count;
    # an acronym before a common noun says whose men they were ("30 OLA fighters").
    acronym = r"(?-i:[A-Z][A-Z0-9]+)\s+(?-i:[a-z])"
    # 'Battalion No. 12', 'n° 5', 'n.° 31': a number after a sign of number names a unit, not
    # a count.
    number = (rf"(?<!\bno\.\s)(?<!\bnr\.\s)(?<![nN][º°]\s)(?<![nN]\.[º°]\s)"
              rf"(?:\d{{1,3}}(?:[{separators}]\d{{3}})+(?!\d)|\d{{1,4}}(?!\d))"
              rf"(?!\s+(?!{acronym})(?-i:[A-Z]))(?!-year)"
              rf"|{number_words}(?:[- ]{number_words})?")
    qualifier = rf"(?:{words('qualifier')}\s+)?"
    # words between a count and its verb start with a letter or digit: in 'MAKHACHKALA, March
    # 28 - Three militants were killed' the dateline's dash does not join 28 to the killed.
    # An abbreviation's full stop stays inside the phrase ('a soldier of Battalion No. 12 died').
    # An acronym in brackets is a word of the phrase ('two members of the Popular Mobilization
    # Forces (PMF) were killed').
    # A run of capitalised words (and acronyms in brackets) is one name, one word of the
    # phrase: 'three constables of the Rural Guard Corps's (RGC) Hawk unit were killed'
    # holds five. Possessive, so a long run of names is never split again on a failed match.
    name = r"(?-i:[A-Z])[\w'-]*\.?(?: (?-i:[A-Z])[\w'-]*\.?| \(\w[\w'-]*\))*+"
    # words in quotes are a word of the phrase: 'six "khwarij" were killed', 'trois « Amba
    # boys » ont été tués'; so is the end of a quote that opened before the count
    # ('« plusieurs dizaines de terroristes » ont été neutralisés')
    # ('n.°' is a word too: 'dos soldados del Batallón n.° 31 murieron')
    nouns = (rf"(?:(?!{words('noun_stop')}\b)(?:{name}|\(\w[\w'-]*\)|\w[\w'-]*\.?|[nN]\.?[º°]"
             rf"|[\"“«]\s?\w[\w'’ -]{{0,30}}?\s?[\"”»]|[»”]),? ){{0,8}}?")
    # the words after the first count of a pair hold no other count: in 'a gunfight in which
    # two guards and three militants were killed' the pair is two and three, not 'a' and three
    uncounted = rf"(?:(?!{words('noun_stop')}\b)(?!(?:{number})\b)\w[\w'-]*,? ){{0,8}}?"
    # a verb in scare quotes is still the verb: 'four attackers were "neutralised"'
    aux = rf"(?:{words('aux')}\s+)*(?:[\"“«]\s*)?"
    # the words of the first group of a pair: no count and no comma of their own
    pair_nouns = rf"(?:(?!{words('noun_stop')}\b)(?!(?:{number})\b)\w[\w'-]* ){{0,8}}?"
    # the first word of a second group of dead that is not a part of the first ('two of them',
    # 'deux d'entre eux', 'dos de ellos', 'de nan yo')
    other_group = rf"(?!{PARTITIVE}\b)(?!{words('noun_stop')}\b)\w[\w'-]*\s+"
    weekday = alternation([re.escape(w) for w in pack.weekdays])
    killed, kill_verb, injured, injure_verb = (words(r) for r in
                                               ("killed", "kill_verb", "injured", "injure_verb"))
    victim = (rf"(?:{words('one_victim')}|(?:{words('victim_determiner')})\s+(?:[\w'-]+\s+){{0,3}}?"
              rf"{words('victim_noun')})")
    not_counts = r"(?!\s*(?:p\.?m|a\.?m|%|percent)\b)"
    # "leaving three dead and five injured": the second count of a pair is not the injured.
    not_injured = rf"(?!\s+(?:[\w'-]+\s+){{0,2}}?{injured})"
    flags = re.I
    # (where the pattern's matches start, the pattern): those opening with a word
    # `fatality_words` or `injury_words` finds (WORD) are searched from the first such word of
    # the sentence, as none of their matches can start before it; those opening with a count
    # (COUNT) are tried only where one starts: elsewhere, at every word, the engine would try
    # each of the pack's number words in turn, as it ignores case.
    fatalities = [
        (WORD, rf"\b{words('bodies')}\s+{qualifier}(?P<n>{number})\b"),
        (WORD, rf"\b{words('death_toll')}\s+{qualifier}(?P<n>{number})\b"),
        # 'twelve fighters were killed and two soldiers died' (14): two groups, each with its
        # verb, the second named by a noun of its own (not 'two of them', a part of the first)
        (COUNT, rf"\b{qualifier}(?P<n>{number})\s+{nouns}{aux}{killed}\s+(?:{words('pair_connector')})\s+{qualifier}(?P<m>{number})\s+{other_group}{nouns}{aux}{killed}\b"),
        (COUNT, rf"\b{qualifier}(?P<n>{number})\s+{uncounted}(?:{words('pair_connector')})\s+{qualifier}(?P<m>{number})\s+{nouns}{aux}{killed}\b"),
        # 'killing three soldiers and two civilians' (5); not 'killing six people, according
        # to witnesses and a nurse' (a comma ends the first group).
        (WORD, rf"\b{kill_verb}\s+{qualifier}(?P<n>{number})\s+{pair_nouns}(?:{words('pair_connector')})\s+{qualifier}(?P<m>{number})\b{not_counts}{not_injured}"),
        # 'killed a man and his wife' (2)
        (WORD, rf"\b{kill_verb}\s+(?P<n>{victim})\s+(?:{words('pair_connector')})\s+(?P<m>{victim})\b"),
        # 'a gang leader and two of his men were killed', 'neutralisé avec deux de ses
        # complices', 'murió junto con dos de sus escoltas': the men and their leader (one
        # more). Only a singular possessive: 'two of their men' names no one leader.
        (None, rf"\b(?P<leader>{words('pair_connector')})\s+{qualifier}(?P<n>{number})\s+"
               rf"{words('companions')}\s+{nouns}{aux}{killed}\b"),
        (WORD, rf"\b{killed}\s+(?P<leader>{words('leader_with')})\s+{qualifier}(?P<n>{number})"
               rf"\s+{words('companions')}\b"),
        # 'a man and his adult son were killed' (2), 'a woman and her two children' (3)
        (None, rf"\b(?P<n>{victim})\s+(?:{words('pair_connector')})\s+(?:(?P<m>{victim})|"
                rf"(?:{words('victim_determiner')})\s+{qualifier}(?P<k>{number})\s+{nouns})\s*{aux}{killed}\b"),
        # (a weekday may come between: 'une foule a lynché mardi deux hommes')
        (WORD, rf"\b{kill_verb}\s+(?:{weekday}\s+)?{qualifier}(?P<n>{number})\b{not_counts}(?P<rest>\s+[\w'-]+(?:\s+[\w'-]+)?)?"),
        (WORD, rf"\b{kill_verb}\s+(?P<n>{victim})\b"),
        (COUNT, rf"\b{qualifier}(?P<n>{number})\s+{nouns}{aux}{killed}\b"),
        (None, _opening_subject(pack, qualifier, number, words("noun_stop"), words("aux"),
                                killed)),
        (False, _count_with_aside(qualifier, number, aux, killed)),
        # 'He died on arrival at the hospital', 'she was shot dead': one victim
        (None, rf"(?<![\w'’])(?P<n>{words('one_victim_subject')})\s+{aux}{killed}\b"),
    ]
    injuries = [
        (WORD, rf"\b{injure_verb}\s+{qualifier}(?P<n>{number})(?P<rest>\s+[\w'-]+(?:\s+[\w'-]+)?)?"),
        (COUNT, rf"\b{qualifier}(?P<n>{number})\s+{nouns}{aux}{injured}\b"),
    ]
    return _Patterns(
        fatalities=[(opens, re.compile(p, flags)) for opens, p in fatalities],
        injuries=[(opens, re.compile(p, flags)) for opens, p in injuries],
        fatality_words=CaseFree.of(re.compile("|".join((words("bodies"), words("death_toll"),
                                                        killed, kill_verb)), flags)),
        injury_words=CaseFree.of(re.compile(f"{injured}|{injure_verb}", flags)),
        no_deaths=CaseFree.of(re.compile(words("no_deaths"), flags)),
        no_injuries=CaseFree.of(re.compile(words("no_injuries"), flags)),
        not_people=re.compile(rf"^\s+{words('not_people')}(?!\w)", flags),
        leaving_killed=re.compile(rf"\s+(?:[\w'-]+\s+){{0,3}}?{killed}", flags),
        leaving_injured=re.compile(rf"\s+(?:[\w'-]+\s+){{0,3}}?{injured}", flags),
        needs_noun=re.compile(rf"^{words('kill_verb_needs_noun')}\b", flags),
        unverified=re.compile(rf"[^.;]{{0,25}}?(?:{words('unverified')})", flags)
        if phrases.get("unverified") else None,
        uncounted=re.compile(rf"^\s+{words('uncounted_group')}(?!\w)", flags)
        if phrases.get("uncounted_group") else None,
        ages=_age_pattern(pack, number),
        age_words=CaseFree.of(re.compile(alternation(
            phrases.get("age_before", []) + phrases.get("age_after", [])), flags)),
        bare_count=re.compile(rf"\s*{qualifier}(?P<n>{number})\b{not_counts}{not_injured}", flags),
        count_starts=lower_matcher(re.compile(
            rf"\b(?={words('qualifier')}\s|{number_words}(?!\w)|\d)", flags)),
        vague=re.compile(rf"(?:{words('vague_number')})", flags)
        if phrases.get("vague_number") else None,
    )


def _opening_subject(pack: LanguagePack, qualifier: str, number: str, stop: str,
                     aux: str, killed: str) -> str:
    """A count opening the sentence, its subject told at length before a passive verb: 'Two
    men accused of belonging to the X gang were shot dead' (9 words between the count and
    'were'; mid-sentence the shorter reach above holds, so a count of another clause stays
    apart). The subject's words hold no comma, no other count, no stop word and no clause
    opener ('Hundreds attended the funeral of soldiers who were killed' counts no dead), and
    the verb needs its auxiliary ('... of the soldiers killed' is no count either)."""
    openers = alternation(pack.cue_phrases.get("clause_opener", []))
    opener = rf"(?!(?:{openers})\b)" if openers else ""
    long_nouns = rf"(?:(?!{stop}\b){opener}(?!(?:{number})\b)\w[\w'-]*\.? ){{9,16}}?"
    passive = rf"{opener}(?:(?:{aux})\s+)+"
    return rf"^\W*{qualifier}(?P<n>{number})\s+{long_nouns}{passive}{killed}\b"


def _count_with_aside(qualifier: str, number: str, aux: str, killed: str) -> str:
    """A count whose verb comes after an aside between commas: 'Two guards, whom the firm
    called watchmen, were killed', 'Dos agricultores, un padre y su hijo, murieron', 'Three
    miners, not five as the union first said, died'. The counted phrase is at most three
    words; the aside, any words but a full stop, comma or semicolon (so a list of groups,
    'four guards, two drivers and a cook were killed', is no aside)."""
    return (rf"\b{qualifier}(?P<n>{number})(?:\s+[\w'-]+){{1,3}},\s+[^,;.]{{3,90}}?,"
            rf"\s+{aux}{killed}\b")


def _age_pattern(pack: LanguagePack, number: str) -> re.Pattern | None:
    """Where a sentence gives ages: 'aged nine and 11', 'âgés de 12 et 14 ans', 'de 17 años'."""
    phrases = pack.casualty_phrases
    before, after = phrases.get("age_before"), phrases.get("age_after")
    connector = alternation(phrases.get("pair_connector", ["and"]))
    forms = []
    if before:
        forms.append(rf"\b(?:{alternation(before)})\s+(?:{number})"
                     rf"(?:\s*(?:,|{connector})\s*(?:{number}))*")
    if after:
        forms.append(rf"\b(?:{number})\s*(?:{alternation(after)})\b")
    return re.compile("|".join(forms), re.I) if forms else None


def _number_surfaces(pack: LanguagePack) -> list[str]:
    """Number words as written in the pack, and their accent-free forms."""
    return sorted(set(pack.number_words) | set(pack.numbers), key=len, reverse=True)


@dataclass(frozen=True)
class Casualties:
    fatalities: int | None  # None: the sentence does not report a number
    injuries: int | None
    fatality_text: str | None
    injury_text: str | None
    last_fatalities: int | None = None  # the count told last ("... police later said 12")
    vague: bool = False  # the fatality count is a quantity with no figure ('several bodies')
    # the groups the fatality count adds ('four militants and a soldier dead': (4, 1))
    parts: tuple[int, ...] = ()


def to_number(text: str, pack: LanguagePack) -> int | None:
    """'seven' -> 7, 'twenty-five' -> 25, '1,520' -> 1520, 'dozens of' -> 12, 'him' -> 1."""
    text = text.lower().strip()
    phrases = pack.casualty_phrases
    if text in phrases.get("one_victim", []) or text in phrases.get("one_victim_subject", []):
        return 1
    digits = re.sub(r"[^\d]", "", text)
    if digits and digits == re.sub(r"[\s,.\u202f]", "", text):
        return int(digits)
    folded = fold(text)
    if folded in pack.numbers:
        return pack.numbers[folded]
    parts = folded.split()
    if len(parts) == 2 and parts[0] in pack.numbers and parts[1] in pack.numbers:
        return pack.numbers[parts[0]] + pack.numbers[parts[1]]
    compound = _compound_number(text, pack.code)
    if compound is not None:
        return compound
    # 'a man', 'a soldier': one victim; checked last so 'a dozen' stays twelve.
    first = text.split(" ")[0]
    return 1 if first in phrases.get("victim_determiner", []) else None


def _compound_number(text: str, language: str) -> int | None:
    """Written-out compounds ('quatre-vingt-dix', 'veintitrés') through text2num."""
    try:
        from text_to_num import text2num
    except ImportError:  # pragma: no cover - text2num is in the lock
        return None
    try:
        return int(text2num(text, language))
    except (ValueError, TypeError, KeyError):
        return None


def _counts(sentence: str, patterns: list[tuple[str | None, re.Pattern]], first_word: int,
            leaving_check: re.Pattern, negated: re.Pattern, compiled: _Patterns,
            pack: LanguagePack, shown: str | None = None,
            count_starts: tuple[int, ...] | None = None
            ) -> tuple[int | None, str | None, int | None, bool, tuple[int, ...]]:
    """`first_word`: where the first word the WORD patterns need starts (see `_patterns`);
    `shown`: the sentence as written when `sentence` has its ages masked; `count_starts`: the
    positions `_Patterns.count_starts` finds in it (None: COUNT patterns search it all)."""
    shown = sentence if shown is None else shown
    # start, value, text, unverified, vague, the groups a pair sums ('four militants and a
    # soldier': (4, 1))
    counts: list[tuple[int, int, str, bool, bool, tuple[int, ...]]] = []
    # Spans already counted (and negations: "no one was injured" is not one injury).
    taken: list[tuple[int, int]] = [m.span() for m in negated.finditer(sentence)]
    for opens, pattern in patterns:
        for match in (matches_at(pattern, sentence, count_starts)
                      if opens == COUNT and count_starts is not None
                      else pattern.finditer(sentence, first_word if opens == WORD else 0)):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            rest = match.groupdict().get("rest") or ""
            if rest and compiled.not_people.match(rest):
                continue
            if compiled.needs_noun.match(match.group(0)) \
                    and not leaving_check.match(sentence[match.end("n"):]):
                continue
            value = to_number(match.group("n"), pack)
            second_group = next((g for g in ("m", "k") if match.groupdict().get(g)), None)
            parts: tuple[int, ...] = ()
            if second_group and value is not None and \
                    not _things_after(sentence, match.end(second_group), compiled):
                second = to_number(match.group(second_group), pack)
                parts = (value, second) if second is not None else ()
                value = value + second if second is not None else None
            if value is not None and match.groupdict().get("leader") and not \
                    compiled.injury_words.pattern.search(sentence, max(0, start - 60), start):
                # the leader and his men; not a leader told wounded ('resultó herido y uno de
                # sus escoltas murió': one dead)
                parts, value = (1, value), value + 1
            if value is None or 1900 <= value <= 2100 or _a_measure(sentence, match, value,
                                                                  compiled):
                continue
            taken.append((start, end))
            doubtful = compiled.unverified is not None and \
                compiled.unverified.match(sentence, end) is not None
            counts.append((start, value, shown[start:end].strip(), doubtful,
                           _vague(match.group("n"), compiled), parts))
    # An unverified count gives way to another count of the sentence (ACLED takes the most
    # conservative credible figure: 'at least five fighters died; local leaders speak of
    # eight dead, a figure that has not been verified').
    counts = [c for c in counts if not c[3]] or counts
    if not counts:
        return None, None, None, False, ()
    # Two counts in one sentence are mostly one group told twice ("killed 43 ... 43 bodies
    # were recovered"); groups told apart are one pair pattern above.
    # A quantity with no figure gives way to a figure of the sentence ('sept militaires tués
    # ... et « plusieurs dizaines d'assaillants » neutralisés' is seven).
    counts = [c for c in counts if not c[4]] or counts
    total = max(c[1] for c in counts)
    last = max(counts)[1]
    vague = all(c[4] for c in counts if c[1] == total)
    parts = next(c[5] for c in counts if c[1] == total)
    return total, "; ".join(c[2] for c in counts), last, vague, parts


def _vague(number: str, compiled: _Patterns) -> bool:
    """Whether a count's number is a quantity with no figure ('several', 'des dizaines de')."""
    return compiled.vague is not None and compiled.vague.fullmatch(number.strip()) is not None


def count_after(sentence: str, end: int, pack: LanguagePack) -> int | None:
    """The count written right after offset `end`, unless it counts the injured: what an
    update says the toll became ('the toll ... has risen to 11', 'revised to 12 the number
    of soldiers killed'), where the number stands without a word for the dead."""
    match = _patterns(pack).bare_count.match(sentence, end)
    return to_number(match.group("n"), pack) if match else None


def _things_after(sentence: str, end: int, compiled: _Patterns) -> bool:
    """Whether the second count of a pair counts animals or things, not people: 'killing
    four guards and some 40 goats' counts four dead; nor a group told uncounted ('four soldiers
    and an undetermined number of assailants': four)."""
    return compiled.not_people.match(sentence[end:]) is not None or \
        (compiled.uncounted is not None and compiled.uncounted.match(sentence[end:]) is not None)


def _a_measure(sentence: str, match: re.Match, value: int, compiled: _Patterns) -> bool:
    """Whether the count is of years, hours or things, not people: 'the student, aged 21
    years, died' ('de 21 años, murió', 'yon komèsan 48 lane ... yo touye l') counts no dead.
    Not an article ('a truck driver was shot and killed' is one dead)."""
    return value > 1 and compiled.not_people.match(sentence[match.end("n"):]) is not None


def _ages_masked(sentence: str, compiled: _Patterns) -> str:
    """The sentence with its ages blanked into one word of the same length: 'two men aged 30
    and 41 were killed' counts two men, 'killing two sisters, aged six and 10' two, and
    'un comerciante de 45 años murió' one."""
    if compiled.ages is None or compiled.age_words.search(sentence, lowered(sentence)) is None:
        return sentence
    return compiled.ages.sub(lambda m: "_" * len(m.group(0)), sentence)


def _count_starts(low: str | None, compiled: _Patterns) -> tuple[int, ...] | None:
    """Where a count or its qualifier may start in the lowered sentence (None: unknown)."""
    if low is None or compiled.count_starts is None:
        return None
    return tuple(match.start() for match in compiled.count_starts.finditer(low))


def count_casualties(sentence: str, pack: LanguagePack) -> Casualties:
    """Fatalities and injuries a sentence reports; None where it reports none."""
    compiled = _patterns(pack)
    shown, sentence = sentence, _ages_masked(sentence, compiled)
    low = lowered(sentence)
    killed = compiled.fatality_words.search(sentence, low)
    injured = compiled.injury_words.search(sentence, low)
    starts = _count_starts(low, compiled) if killed or injured else None
    fatalities, fatality_text, last, vague, parts = _counts(
        sentence, compiled.fatalities, killed[0], compiled.leaving_killed,
        compiled.no_deaths.pattern, compiled, pack, shown, starts) \
        if killed else (None, None, None, False, ())
    injuries, injury_text, _, _, _ = _counts(sentence, compiled.injuries, injured[0],
                                          compiled.leaving_injured, compiled.no_injuries.pattern,
                                          compiled, pack, shown, starts) \
        if injured else (None, None, None, False, ())
    if fatalities is None and (none := compiled.no_deaths.search(sentence, low)):
        fatalities, fatality_text = 0, sentence[none[0]:none[1]]
    if injuries is None and (none := compiled.no_injuries.search(sentence, low)):
        injuries, injury_text = 0, sentence[none[0]:none[1]]
    return Casualties(fatalities, injuries, fatality_text, injury_text, last, vague, parts)
