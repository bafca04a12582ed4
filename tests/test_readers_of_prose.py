"""Triggers, dates and casualty counts read from invented sentences."""

from datetime import date

import pytest

from pipelines.extract.casualties import count_casualties
from pipelines.extract.dates import find_dates
from pipelines.extract.language import load_pack
from pipelines.extract.triggers import choose_event, find_triggers
from pipelines.settings import PROJECT_ROOT

EN = load_pack(PROJECT_ROOT / "seeds" / "reference", "en")


@pytest.mark.parametrize(("sentence", "fatalities", "injuries"), [
    ("Gang members shot and killed a man in the market.", 1, None),
    ("Three police officers were killed and two others injured.", 3, 2),
    ("The attack left at least seven people dead.", 7, None),
    ("Gunmen stormed the village, killing at least seven.", 7, None),
    ("A mob lynched four suspected thieves.", 4, None),
    ("Several casualties were recorded among the attackers.", None, None),
    ("No one was injured in the blast.", 0, 0),
    ("The bodies of four men were found near the river.", 4, None),
    ("Two soldiers and three rebels were killed in the fighting.", 5, None),
    ("Approximately 30 gang members attacked the station.", None, None),
    ("Members of the 400 Mawozo gang opened fire.", None, None),
    ("The gang killed 11 rivals and 36 other people.", 47, None),
    ("Attackers decapitated a man and a woman.", 2, None),
    ("Gunmen shot and killed the mayor of the town.", 1, None),
    ("A 17-year-old girl was shot dead.", 1, None),
    ("Police arrested two men after three houses were burned.", None, None),
    # two groups, each with its own verb, are summed; a part of the first ('two of them') is not
    ("Nine rebels were killed and two soldiers died in the fighting.", 11, None),
    ("Six villagers were killed and two of them were burned alive.", 6, None),
])
def test_count_casualties(sentence, fatalities, injuries):
    counted = count_casualties(sentence, EN)
    assert (counted.fatalities, counted.injuries) == (fatalities, injuries)


PUBLISHED = date(2024, 11, 20)  # a Wednesday


@pytest.mark.parametrize(("sentence", "published", "precision_in", "expected"), [
    ("On 1 January 2024, in Gonaives, protesters marched.", None, "unknown",
     [(date(2024, 1, 1), "day")]),
    ("On January 5, 2024 police said", None, "unknown", [(date(2024, 1, 5), "day")]),
    ("On Monday, police clashed with gangs.", PUBLISHED, "day", [(date(2024, 11, 18), "day")]),
    ("On Monday, police clashed with gangs.", date(2024, 11, 1), "month",
     [(date(2024, 11, 1), "month")]),
    ("On November 13, the council adopted a resolution.", date(2024, 11, 1), "month",
     [(date(2024, 11, 13), "day")]),
    ("On 28 December gunmen attacked.", date(2024, 1, 3), "day", [(date(2023, 12, 28), "day")]),
    ("Last week gunmen kidnapped a pastor.", PUBLISHED, "day", [(date(2024, 11, 11), "week")]),
    ("Yesterday a bomb exploded.", PUBLISHED, "day", [(date(2024, 11, 19), "day")]),
    ("Earlier this month, a truce was signed.", PUBLISHED, "day", [(date(2024, 11, 1), "month")]),
    ("Last month, rebels took the town.", PUBLISHED, "day", [(date(2024, 10, 1), "month")]),
    ("In March 2024 and in 2023 the group grew.", None, "unknown",
     [(date(2024, 3, 1), "month"), (date(2023, 1, 1), "year")]),
    ("March 12 people died at 3 p.m.", PUBLISHED, "day", []),
    ("The attack on 30 December 2030 is planned.", PUBLISHED, "day", []),
    # a day and month a few days after publication is to come, not last year's
    ("Voters elect a new council on 2 December.", PUBLISHED, "day", []),
    # a weekday that recurs, and an outlet named 'Today', date nothing
    ("The bomb went off at the fair, where farmers meet every Sunday.", PUBLISHED, "day", []),
    ("According to a tally by Lagos Today, 40 people died.", PUBLISHED, "day", []),
])
def test_find_dates(sentence, published, precision_in, expected):
    found = [(d.date, d.precision) for d in find_dates(sentence, published, precision_in, EN)]
    assert found == expected


@pytest.mark.parametrize(("sentence", "language", "expected"), [
    # a weekday before its day and month is that day's name: published on a Monday, 'Monday,
    # March 3' is a week back, not the publication day (both words date it)
    ("Monday, March 3: gunmen burned a school in the district.", "en", [date(2025, 3, 3)]),
    ("Lundi 3 mars, des bandits ont incendié une école.", "fr", [date(2025, 3, 3)]),
    ("El lunes 3 de marzo, unos pistoleros quemaron una escuela.", "es", [date(2025, 3, 3)]),
    ("Lendi 3 mas, bandi yo boule yon lekòl.", "ht", [date(2025, 3, 3)]),
    # ... also with the day written in words, and a night across two days is its first
    ("Le mardi vingt-cinq février, des bandits ont incendié une école.", "fr",
     [date(2025, 2, 25)]),
    ("Dans la nuit du dimanche deux au lundi trois mars, des hommes armés ont attaqué.",
     "fr", [date(2025, 3, 2)]),
    ("El domingo dos de marzo, unos pistoleros quemaron una escuela.", "es",
     [date(2025, 3, 2)]),
    # a day to come drops its weekday with it
    ("Monday, March 17: a march is planned.", "en", []),
    # ... also when the language reads the day as the weekday's suffix
    ("Un sit-in est annoncé pour le lundi 17 mars devant la mairie.", "fr", []),
    ("Yon mach anonse pou lendi 17 mas devan meri a.", "ht", []),
    # a sentence opening like a dateline sets the day aside later: its weekday keeps the date
    ("Jedi swa, 6 mas, yo te boule yon machin nan Velmora.", "ht", [date(2025, 3, 6)]),
])
def test_a_weekday_before_a_day_and_month_is_its_name(sentence, language, expected):
    pack = load_pack(PROJECT_ROOT / "seeds" / "reference", language)
    found = find_dates(sentence, date(2025, 3, 10), "day", pack)  # a Monday
    assert {d.date for d in found} == set(expected)


@pytest.mark.parametrize(("sentence", "categories", "expected"), [
    ("Police clashed with gang members in Delmas.", {"state_forces", "political_militia"},
     ("Battles", "Armed clash")),
    ("Police shot and killed two gang members.", {"state_forces", "political_militia"},
     ("Battles", "Armed clash")),
    ("Gang members shot and killed a motorcyclist.", {"political_militia", "civilians"},
     ("Violence against civilians", "Attack")),
    ("Gunmen kidnapped 12 passengers on the highway.", {"political_militia", "civilians"},
     ("Violence against civilians", "Abduction/forced disappearance")),
    ("Residents held a march demanding the departure of the prime minister.", {"protesters"},
     ("Protests", "Peaceful protest")),
    ("Police fired tear gas to disperse the demonstrators.", {"state_forces", "protesters"},
     ("Protests", "Protest with intervention")),
    ("Protesters erected barricades of burning tires.", {"protesters"},
     ("Riots", "Violent demonstration")),
    ("A mob lynched two suspected kidnappers.", {"rioters"}, ("Riots", "Mob violence")),
    ("Police arrested three suspects.", {"state_forces"}, ("Strategic developments", "Arrests")),
    ("Troops arrested a man suspected of coordinating the attacks.", {"state_forces"},
     ("Strategic developments", "Arrests")),
    ("Police detained two men accused of killing a trader.", {"state_forces"},
     ("Strategic developments", "Arrests")),
    ("Officers stopped a motorcycle at a checkpoint and found a suicide vest and two grenades.",
     {"state_forces"}, ("Strategic developments", "Disrupted weapons use")),
    ("Soldiers seized 40 rifles and ammunition.", {"state_forces"},
     ("Strategic developments", "Disrupted weapons use")),
    ("Gang members set fire to houses in the area.", {"political_militia"},
     ("Strategic developments", "Looting/property destruction")),
    ("An explosive drone struck a gang hideout.", {"state_forces"},
     ("Explosions/Remote violence", "Air/drone strike")),
    ("Drones flown by the cartel dropped at least eight explosive devices on homes.",
     {"political_militia"}, ("Explosions/Remote violence", "Air/drone strike")),
    ("A guided aerial bomb hit a block of flats, killing four residents.", {"civilians"},
     ("Explosions/Remote violence", "Air/drone strike")),
    ("Gunshots were heard in the area.", set(), ("Strategic developments", "Other")),
    ("On 1 March 2024, roadblocks were set up.", set(), ("Strategic developments", "Other")),
    # Stones thrown among other things ('hurled bottles, bricks and stones') are still a riot.
    ("Fans hurled bottles, bricks and stones at the stadium gates.", set(),
     ("Riots", "Violent demonstration")),
    ("Youths were throwing eggs and rocks at the mayor's car.", set(),
     ("Riots", "Violent demonstration")),
    ("Young men threw stones at the station and clashed with officers until dawn.",
     {"state_forces"}, ("Riots", "Violent demonstration")),
    # A crowd gathered before an institution, or gathered to demand something, protests.
    ("Several hundred nurses gathered outside the health ministry on Friday.", set(),
     ("Protests", "Peaceful protest")),
    ("Dock workers assembled in front of the port authority's gates, demanding unpaid wages.",
     set(), ("Protests", "Peaceful protest")),
    # Men arrested with the guns found on them: arrests; a bomb defused beside arrests is not.
    ("Officers arrested nine men and seized six pistols and a shotgun at a farmhouse.",
     {"state_forces"}, ("Strategic developments", "Arrests")),
    ("Soldiers arrested two men and defused the roadside bomb they had planted.", {"state_forces"},
     ("Strategic developments", "Disrupted weapons use")),
    ("A crowd attacked the town hall with stones and bottles after the vote.", set(),
     ("Riots", "Violent demonstration")),
])
def test_choose_event(sentence, categories, expected):
    chosen = choose_event(find_triggers(sentence, EN), categories)
    assert chosen is not None and chosen[:2] == expected


@pytest.mark.parametrize(("agents", "expected"), [
    ({"political_militia"}, ("Violence against civilians", "Attack")),
    ({"state_forces"}, ("Protests", "Excessive force against protesters")),
])
def test_only_the_state_uses_excessive_force_against_protesters(agents, expected):
    sentence = "Armed men opened fire on a candlelight vigil, killing three mourners, police said."
    chosen = choose_event(find_triggers(sentence, EN),
                          {"political_militia", "state_forces", "civilians"}, agents)
    assert chosen is not None and chosen[:2] == expected


@pytest.mark.parametrize("sentence", [
    "No clashes were reported in the capital.",
    "The minister said the government would not negotiate.",
    "Haiti continues to face escalating gang violence.",
    "Relatives gathered outside the hospital where the wounded were treated.",
    # a general strike's name ('ville morte', a dead city) kills nobody
    "The civil society has called for a ville morte, a dead city, on Friday.",
])
def test_no_event(sentence):
    assert choose_event(find_triggers(sentence, EN), set()) is None


FR = load_pack(PROJECT_ROOT / "seeds" / "reference", "fr")


@pytest.mark.parametrize(("sentence", "pack"), [
    ("Police arrested a teenager on suspicion of taking part in the riots and the looting of shops.",
     EN),
    ("Les gendarmes ont interpellé neuf jeunes soupçonnés d'avoir participé aux émeutes et au "
     "pillage de plusieurs magasins.", FR),
])
def test_the_crime_of_an_arrest_governs_its_clause(sentence, pack):
    chosen = choose_event(find_triggers(sentence, pack), {"state_forces"})
    assert chosen is not None and chosen[:2] == ("Strategic developments", "Arrests")


@pytest.mark.parametrize(("sentence", "pack"), [
    ("Detectives arrested six men on Thursday as part of an investigation into last "
     "month's shootings in the harbour district.", EN),
    ("Les enquêteurs ont interpellé six hommes jeudi dans le cadre d'une enquête sur les "
     "fusillades du mois dernier.", FR),
])
def test_the_shootings_an_investigation_is_into_are_no_event_of_the_sentence(sentence, pack):
    chosen = choose_event(find_triggers(sentence, pack), {"state_forces", "civilians"})
    assert chosen is not None and chosen[:2] == ("Strategic developments", "Arrests")


def test_witnesses_asked_to_come_forward_are_no_protest():
    sentence = "La gendarmerie a invité toute personne ayant des informations à se manifester."
    assert choose_event(find_triggers(sentence, FR), set()) is None


def test_what_a_court_convicts_someone_of_is_no_event():
    sentence = "A court sentenced two men to life in prison for the killing of a journalist."
    assert choose_event(find_triggers(sentence, EN), set()) is None


def test_the_crime_of_an_accusation_ends_at_the_sentences_own_verb():
    sentence = "Two men accused of belonging to a gang were shot dead by police in the market."
    assert any(t.kind == "kill" and not t.negated for t in find_triggers(sentence, EN))


HT = load_pack(PROJECT_ROOT / "seeds" / "reference", "ht")


@pytest.mark.parametrize(("sentence", "kind", "negated"), [
    # 'sispèk kòm' says what the man was suspected of being; what befell him happened
    ("Yon jèn gason yo te sispèk kòm vòlè bèt te mouri lenche nan yon baraj.", "lynch", False),
    # the suspicion itself is no event: 'kidnapè' is what the men were suspected of being
    ("Lapolis arete de moun yo sispèk kòm kidnapè nan Kafou.", "kidnap", True),
    # so does 'akize kòm': the sentence's verb after it ('te boule vivan') is what befell them
    ("De jenn gason yo te akize kòm manm gang te boule vivan yè swa.", "kill", False),
])
def test_what_someone_is_suspected_of_being_in_creole_is_no_event(sentence, kind, negated):
    assert any(t.kind == kind and t.negated == negated for t in find_triggers(sentence, HT))


def test_an_explosives_expert_is_no_explosion_in_creole():
    sentence = "Dapre yon ekspè nan eksplozif PNH ki te ale sou plas la."
    assert not any(t.kind == "explosive" for t in find_triggers(sentence, HT))


def test_a_toll_told_with_what_it_is_the_toll_of():
    sentence = ("The death toll from Friday's bombing of the bus station in the old town has "
                "risen to 17, officials said.")
    assert count_casualties(sentence, EN).fatalities == 17


@pytest.mark.parametrize("sentence", [
    "A suicide truck bomber struck a police post at dawn.",
    "A man drove a van packed with explosives into the gate of the base.",
])
def test_a_vehicle_bomb_driven_in_is_a_suicide_bomb(sentence):
    chosen = choose_event(find_triggers(sentence, EN), {"state_forces"})
    assert chosen is not None and chosen[:2] == ("Explosions/Remote violence", "Suicide bomb")


def test_a_drone_or_missile_shot_down_is_disrupted_weapons_use():
    chosen = choose_event(find_triggers("Soldiers shot down two drones over the base.", EN),
                          {"state_forces"})
    assert chosen is not None and chosen[:2] == ("Strategic developments",
                                                 "Disrupted weapons use")
    assert choose_event(find_triggers("Police shot a man in the leg.", EN), {"state_forces"})[:2] \
        == ("Violence against civilians", "Attack")
    # what a drone shot down was hit by it
    assert choose_event(find_triggers("A police helicopter was shot down by a drone.", EN),
                        {"state_forces"})[:2] == ("Explosions/Remote violence", "Air/drone strike")


@pytest.mark.parametrize(("sentence", "passive"), [
    ("Near the ferry ramp, a customs officer was reportedly wounded when bandits fired.", True),
    ("Près du quai, deux douaniers ont été blessés.", True),
    ("Near the ferry ramp, bandits wounded a customs officer when he ran.", False),
])
def test_a_harm_told_in_the_passive(sentence, passive):
    """Who a harm befell is named before it in the passive, after it otherwise, and within
    its clause (not beyond a comma or 'when')."""
    pack = FR if sentence.startswith("Près") else EN
    harm = next(t for t in find_triggers(sentence, pack) if t.kind == "injure")
    assert harm.passive is passive
    low, high = harm.clause
    assert "ferry" not in sentence[low:high] and "quai" not in sentence[low:high]
    assert "douaniers" in sentence[low:high] or "officer" in sentence[low:high]


@pytest.mark.parametrize(("sides", "expected"), [
    # an armed side, or one nobody names, harming police or an armed group: a battle, even
    # when a bystander is named too
    (({"political_militia"}, {"state_forces"}), ("Battles", "Armed clash")),
    ((set(), {"identity_militia"}), ("Battles", "Armed clash")),
    # the same harm done to civilians, or done by a crowd, is no battle
    (({"political_militia"}, {"civilians"}), ("Violence against civilians", "Attack")),
    (({"civilians"}, {"political_militia"}), ("Violence against civilians", "Attack")),
])
def test_who_the_harm_fell_on_decides_between_battle_and_attack(sides, expected):
    sentence = "Men on motorbikes shot dead two people beside the ferry ramp at dusk."
    chosen = choose_event(find_triggers(sentence, EN),
                          {"political_militia", "identity_militia", "state_forces", "civilians"},
                          sides[0], sides)
    assert chosen is not None and chosen[:2] == expected


@pytest.mark.parametrize(("sentence", "language", "kind"), [
    # troops back in a town the armed group left: the state regains it
    ("Federal troops re-entered Velmora after the rebel fighters withdrew.", "en", "regain"),
    # passengers taken off a bus by force: an abduction
    ("Hombres armados detuvieron un autobús y bajaron por la fuerza a cinco pasajeros.", "es",
     "kidnap"),
])
def test_a_town_reentered_and_passengers_taken_off_by_force(sentence, language, kind):
    pack = load_pack(PROJECT_ROOT / "seeds" / "reference", language)
    assert kind in {t.kind for t in find_triggers(sentence, pack) if not t.negated}
