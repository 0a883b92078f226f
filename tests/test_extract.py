"""The extractor on the seed article and on sentences written for these tests."""

from pathlib import Path

import pytest

from heritage_kg.extract import extract
from heritage_kg.ingest import parse_article, read_article

EXAMPLE = Path(__file__).parent.parent / "examples" / "palmyra-2017-03-01.txt"


def read(text: str, published: str = "2017-03-01"):
    raw = f"published: {published}\n---\n{text}".encode()
    return extract(parse_article(raw, name="test.txt"))


def rows(extraction):
    return sorted(
        (e.asset.label, e.event_type, ", ".join(p.label for p in e.perpetrators), e.when.edtf if e.when else "",
         e.status)
        for e in extraction.events
    )


def who_did_what(extraction):
    """Each event as (monument, event type, perpetrator labels), in extraction order."""
    return [(e.asset.label, e.event_type, [p.label for p in e.perpetrators]) for e in extraction.events]


@pytest.fixture(scope="module")
def seed():
    return extract(read_article(EXAMPLE))


def test_seed_events(seed):
    assert rows(seed) == [
        ("Facade of the Roman Theatre", "destroyed", "Islamic State", "2016-12/2017-03-01", "reported"),
        ("Monumental Arch", "destroyed", "Islamic State", "2015/2016-03", "reported"),
        ("Tetrapylon", "destroyed", "Islamic State", "2016-12/2017-03-01", "reported"),
    ]


def test_seed_facade_is_part_of_the_theatre_which_is_part_of_palmyra(seed):
    facade = next(e.asset for e in seed.events if e.asset.label.startswith("Facade"))
    assert facade.part_of is not None and facade.part_of.key == "monument/palmyra/roman-theatre"
    assert facade.part_of.part_of is not None and facade.part_of.part_of.key == "site/palmyra"
    assert {e.site.key for e in seed.events} == {"site/palmyra"}


def test_seed_quotes_are_exact_spans_of_the_body(seed):
    body = seed.article.body
    for fact in [*seed.events, *seed.control_changes, *seed.statements]:
        assert body[fact.evidence.start : fact.evidence.end] == fact.evidence.text
    tetrapylon = next(e for e in seed.events if e.asset.label == "Tetrapylon")
    assert tetrapylon.evidence.text == (
        "Most recently, Islamic State has razed the landmark Tetrapylon and the facade of Palmyra's Roman Theater."
    )
    assert tetrapylon.mention == "Tetrapylon"


def test_seed_control_timeline(seed):
    changes = sorted(
        (c.when.edtf if c.when else "", c.place.label, c.gained_by.label if c.gained_by else "",
         c.lost_by.label if c.lost_by else "", ", ".join(s.label for s in c.supporters))
        for c in seed.control_changes
    )
    assert changes == [
        ("2015", "Palmyra", "Islamic State", "Syrian government", ""),
        ("2016-03", "Palmyra", "Syrian government", "Islamic State", "Russia"),
        ("2016-12", "Palmyra", "Islamic State", "Syrian government", ""),
        ("2016-12", "eastern Aleppo", "", "rebel groups", ""),
        ("2017-03-01", "Palmyra triangle", "Syrian Arab Army", "", ""),
    ]


def test_seed_statements_and_names(seed):
    un = next(s for s in seed.statements if s.actor.label == "United Nations")
    assert (un.speech_act, un.content) == ("condemn", "a war crime")
    reuters = next(s for s in seed.statements if s.actor.label == "Reuters")
    assert (reuters.speech_act, reuters.content) == ("could not verify", "the authenticity of the photos")
    assert [(n.entity.label, n.name) for n in seed.names] == [("Palmyra", "Tadmur")]
    assert seed.publisher is not None and seed.publisher.key == "actor/reuters"


def test_boilerplate_stays_out(seed):
    quotes = [f.evidence.text for f in [*seed.events, *seed.control_changes, *seed.statements]]
    assert not any("SEE ALSO" in q or "NOW WATCH" in q or "Join the conversation" in q for q in quotes)


def test_coordinated_objects_are_separate_events():
    extraction = read("Islamic State militants demolished the Temple of Bel and the Temple of Baalshamin in Palmyra.")
    assert rows(extraction) == [
        ("Temple of Baalshamin", "destroyed", "Islamic State", "2017", "reported"),
        ("Temple of Bel", "destroyed", "Islamic State", "2017", "reported"),
    ]


def test_passive_agent_is_the_perpetrator():
    extraction = read("The Temple of Bel in Palmyra was blown up by Islamic State in August 2015.")
    assert rows(extraction) == [("Temple of Bel", "destroyed", "Islamic State", "2015-08", "reported")]


def test_passive_without_agent_names_nobody():
    extraction = read("Islamic State took Palmyra in May. The Temple of Bel was destroyed in August 2015.")
    assert rows(extraction) == [("Temple of Bel", "destroyed", "", "2015-08", "reported")]


def test_negation_gives_no_event():
    assert read("The Temple of Bel in Palmyra was not damaged in the fighting.").events == []


def test_intention_and_future_give_no_event():
    assert read("Islamic State will destroy the Temple of Bel in Palmyra, a commander said.").events == []


def test_threat_is_a_threatened_event():
    extraction = read("Islamic State threatened to destroy the Temple of Bel in Palmyra on Sunday.")
    assert [(e.asset.label, e.event_type) for e in extraction.events] == [("Temple of Bel", "threatened")]


def test_hedge_makes_an_event_unverified():
    extraction = read("Islamic State reportedly blew up the Temple of Bel in Palmyra on Sunday.")
    (event,) = extraction.events
    assert (event.status, event.hedge, event.when.edtf) == ("unverified", "reportedly", "2017-02-26")


def test_unlisted_monument_is_minted_at_the_article_site():
    extraction = read("The Kuindzhi Art Museum in Mariupol was destroyed by a Russian airstrike on Monday.",
                      published="2022-03-23")
    (event,) = extraction.events
    assert (event.asset.label, event.event_type, [p.label for p in event.perpetrators], event.when.edtf) == (
        "Kuindzhi Art Museum", "destroyed", ["Russia"], "2022-03-21")
    assert event.asset.in_gazetteer is False


def test_generic_plural_is_not_an_event():
    assert read("The group has razed ancient monuments in Palmyra.").events == []


def test_unknown_publication_date_leaves_relative_dates_unresolved():
    extraction = read("Islamic State blew up the Temple of Bel in Palmyra on Sunday.", published="unknown")
    (event,) = extraction.events
    assert event.when is None


def test_definite_description_points_back_to_the_named_monument():
    extraction = read("Militants entered the Saint Elian Monastery near Homs. On Sunday the monastery was bulldozed.",
                      published="2015-08-21")
    assert [(e.asset.label, e.event_type, e.when.edtf) for e in extraction.events] == [
        ("Saint Elian Monastery", "destroyed", "2015-08-16")]


def test_ruins_of_a_named_site_are_the_site():
    extraction = read("Looters have damaged the ruins of Apamea, satellite images show.", published="2016-02")
    assert [(e.asset.key, e.event_type) for e in extraction.events] == [("site/apamea", "damaged")]


def test_fears_of_demolition_are_a_threat():
    extraction = read("Islamic State seized Palmyra in May, sparking fears the group might demolish the ancient site.",
                      published="2015-08-24")
    assert [(e.asset.key, e.event_type, [p.label for p in e.perpetrators], e.when.edtf)
            for e in extraction.events] == [("site/palmyra", "threatened", ["Islamic State"], "2015-05")]


def test_competing_accounts_are_disputed_claims_not_facts():
    extraction = read("The minaret of the Umayyad Mosque in Aleppo was blown up by al-Nusra Front on Wednesday, "
                      "with the army and the rebels blaming each other.", published="2013-04-25")
    (event,) = extraction.events
    assert (event.asset.label, event.status, event.perpetrators) == (
        "Minaret of the Umayyad Mosque", "disputed", ())
    assert [c.perpetrator.label for c in event.claims] == ["al-Nusra Front"]


def test_the_strike_is_the_side_named_with_it_before():
    extraction = read("An Israeli airstrike hit a compound near the Saint Porphyrius Church in Gaza. "
                      "The strike caused damage to the church walls.", published="2023-10-20")
    assert who_did_what(extraction) == [
        ("Walls of the Saint Porphyrius Church", "damaged", ["Israel"])]


def test_a_kind_of_group_still_points_back_to_the_named_group():
    extraction = read("Ansar Dine fighters entered Timbuktu. The extremist group destroyed the gate of the "
                      "Sidi Yahya Mosque on July 2.", published="2012-07-11")
    assert [(e.asset.label, [p.label for p in e.perpetrators], e.when.edtf) for e in extraction.events] == [
        ("Gate of the Sidi Yahya Mosque", ["Ansar Dine"], "2012-07-02")]


def test_names_in_apposition_are_separate_monuments():
    extraction = read("On June 30, members of Ansar Dine desecrated mausoleums of saints -- Sidi Mahmoud and "
                      "Alfa Moya -- in Timbuktu.", published="2012-07-11")
    assert sorted((e.asset.label, e.event_type) for e in extraction.events) == [
        ("Mausoleum of Alfa Moya", "damaged"), ("Mausoleum of Sidi Mahmoud", "damaged")]


def test_a_shorter_name_is_the_monument_named_in_full_before():
    extraction = read("Islamic State blew up the Grand al-Nuri Mosque in Mosul on Wednesday. Iraqi officials said "
                      "the destruction of the Nuri mosque was a declaration of defeat.", published="2017-06-22")
    assert [e.asset.label for e in extraction.events] == ["Grand al-Nuri Mosque"]


def test_it_and_them_point_back_to_the_monument_named_last():
    extraction = read("Workers finished restoring the Temple of Nabu in Palmyra in July, three years after "
                      "militants destroyed it.", published="2019-10")
    assert sorted((e.asset.label, e.event_type) for e in extraction.events) == [
        ("Temple of Nabu", "destroyed"), ("Temple of Nabu", "restored")]


def test_things_at_a_named_building_are_specific():
    extraction = read("A video showed militants destroying statues at the Mosul Museum last week.",
                      published="2015-03-05")
    (event,) = extraction.events
    assert (event.asset.label, event.asset.kind, event.asset.part_of.label, event.when.edtf) == (
        "Statues at the Mosul Museum", "HeritageObject", "Mosul Museum", "2015-02-26/2015-03-05")


def test_a_proper_name_with_a_heritage_noun_is_a_monument():
    extraction = read("On 27 June 2015, Islamic State demolished the Lion of Al-lat statue in Palmyra.")
    assert [(e.asset.label, e.when.edtf) for e in extraction.events] == [("Lion of Al-lat statue", "2015-06-27")]


def test_different_hands_are_different_happenings():
    extraction = read("The Syrian government has fought for Qaryatain for years. Government shelling damaged the "
                      "Saint Elian Monastery in 2014. In 2015 Islamic State militants demolished the monastery.",
                      published="2015-08-21")
    assert sorted((e.event_type, [p.label for p in e.perpetrators]) for e in extraction.events) == [
        ("damaged", ["Syrian government"]), ("destroyed", ["Islamic State"])]


def test_members_of_a_group_act_for_the_group():
    extraction = read("Ansar Dine seized Timbuktu in April. On June 30, members of the group desecrated the "
                      "Sidi Yahya Mosque.", published="2012-07-11")
    assert [(e.asset.label, [p.label for p in e.perpetrators]) for e in extraction.events] == [
        ("Sidi Yahya Mosque", ["Ansar Dine"])]


def test_a_video_appearing_to_show_destruction_is_unverified():
    extraction = read("Islamic State released a video last week appearing to show militants destroying statues at "
                      "the Mosul Museum.", published="2015-03-05")
    (event,) = extraction.events
    assert (event.status, event.hedge, [p.label for p in event.perpetrators]) == (
        "unverified", "appearing to", ["Islamic State"])


def test_a_denial_does_not_reach_a_later_coordinated_clause():
    extraction = read("ISIS denied earlier reports that it had destroyed the Nabi Yunus shrine in Mosul, but "
                      "yesterday they blew up the shrine.", published="2014-07-25")
    blown = [e for e in extraction.events if e.when is not None and e.when.edtf == "2014-07-24"]
    assert [(e.status, [p.label for p in e.perpetrators]) for e in blown] == [("reported", ["Islamic State"])]


def test_the_side_that_conducted_a_strike_is_its_perpetrator():
    extraction = read("The Israeli army said it conducted an airstrike near the Saint Porphyrius Church in Gaza. "
                      "The strike caused damage to the church walls.", published="2023-10-20")
    assert [(e.event_type, [p.label for p in e.perpetrators]) for e in extraction.events] == [("damaged", ["Israel"])]


def test_a_described_group_with_no_name_is_named_by_its_description():
    extraction = read("Masons restored the Sidi Yahya Mosque in Timbuktu in July, three years after Islamic "
                      "fundamentalists damaged it.", published="2015-10")
    damaged = next(e for e in extraction.events if e.event_type == "damaged")
    assert [p.label for p in damaged.perpetrators] == ["Islamic fundamentalists"]


def test_looters_alone_name_nobody():
    extraction = read("The Temple of Bel in Palmyra was damaged by looters.", published="2016-02")
    assert [e.perpetrators for e in extraction.events] == [()]


def test_it_prefers_the_monument_earlier_in_its_own_sentence():
    extraction = read("The Temple of Bel stands in Palmyra. Tanks fired at the minaret of the Umayyad Mosque in "
                      "Aleppo until it was destroyed.", published="2013-04-25")
    assert [e.asset.label for e in extraction.events] == ["Minaret of the Umayyad Mosque"]


def test_its_minaret_is_part_of_the_mosque_just_named():
    extraction = read("Islamic State blew up the Grand al-Nuri Mosque in Mosul and its leaning minaret.",
                      published="2017-06-22")
    assert sorted(e.asset.label for e in extraction.events) == ["Grand al-Nuri Mosque",
                                                                 "Minaret of the Grand al-Nuri Mosque"]


def test_the_shrine_of_the_monastery_the_article_is_about():
    extraction = read("Islamic State bulldozed the Saint Elian Monastery near Qaryatain. A witness said militants "
                      "leveled the shrine and removed the monastery bells.", published="2015-08-21")
    assert sorted((e.asset.label, e.event_type) for e in extraction.events) == [
        ("Bells of the Saint Elian Monastery", "looted"), ("Saint Elian Monastery", "destroyed"),
        ("Shrine of the Saint Elian Monastery", "destroyed")]


def test_a_thing_inside_a_named_monument_is_part_of_it():
    extraction = read("Militants wrecked a church inside the Saint Elian Monastery near Homs.", published="2015-08-21")
    (event,) = extraction.events
    assert (event.asset.label, event.asset.part_of.label) == (
        "Church inside the Saint Elian Monastery", "Saint Elian Monastery")


def test_kinds_of_monument_in_a_named_site_are_specific_but_monuments_are_not():
    shrines = read("Ansar Dine destroyed shrines in Timbuktu in July.", published="2012-08-26")
    assert [(e.asset.label, e.site.label) for e in shrines.events] == [("Shrines in Timbuktu", "Timbuktu")]
    assert read("Islamic State destroyed monuments in Palmyra in July.", published="2015-08-26").events == []


def test_the_monuments_windows_are_part_of_the_monument():
    extraction = read("A missile hit the Derzhprom building in Kharkiv. The blast damaged the Derzhprom's windows.",
                      published="2024-01-03")
    assert sorted((e.asset.label, e.event_type) for e in extraction.events) == [
        ("Derzhprom building", "damaged"), ("Windows of the Derzhprom building", "damaged")]
    windows = next(e.asset for e in extraction.events if e.asset.label.startswith("Windows"))
    assert windows.part_of is not None and windows.part_of.label == "Derzhprom building"


def test_blown_up_causing_damage_is_one_happening():
    extraction = read("Militants placed explosives in the Temple of Bel in Palmyra today and then blew it up, "
                      "causing much damage to the temple.", published="2015-08-31")
    assert [(e.asset.label, e.event_type) for e in extraction.events] == [("Temple of Bel", "destroyed")]


def test_a_later_counter_accusation_makes_the_event_disputed():
    extraction = read("Islamic State blew up the Grand al-Nuri Mosque in Mosul on Wednesday, the Iraqi military "
                      "said. The group, however, blamed a strike carried out by the United States for the "
                      "destruction.", published="2017-06-22")
    (event,) = extraction.events
    assert (event.status, event.perpetrators) == ("disputed", ())
    assert sorted((c.perpetrator.label, c.claimed_by.label if c.claimed_by else None) for c in event.claims) == [
        ("Islamic State", "Iraqi government"), ("United States", "Islamic State")]


def test_the_body_decides_between_destroyed_and_damaged():
    bulldozed = read("Islamic State bulldozes ancient city of Nimrud\nMilitants used a bulldozer to damage the "
                     "ancient city of Nimrud on Thursday, officials said.", published="2015-03-06")
    assert [(e.asset.key, e.event_type) for e in bulldozed.events] == [("site/nimrud", "damaged")]
    blown = read("Militants damaged the Temple of Bel in Palmyra\nMilitants blew up the Temple of Bel in Palmyra "
                 "on Sunday, causing much damage to the temple.", published="2015-08-31")
    assert [(e.asset.label, e.event_type) for e in blown.events] == [("Temple of Bel", "destroyed")]


def test_a_passive_without_its_auxiliary_names_what_suffered_and_nobody_for_it():
    extraction = read("Islamic State fighters entered the Umayyad Mosque in Aleppo. Furnishings were burned, "
                      "valuable relics ransacked and old manuscripts looted.", published="2013-04-25")
    assert sorted((e.asset.label, e.event_type, e.perpetrators) for e in extraction.events) == [
        ("Manuscripts of the Umayyad Mosque", "looted", ()), ("Relics of the Umayyad Mosque", "looted", ())]


def test_a_heading_told_again_in_the_body_is_one_event():
    extraction = read("Relics ransacked\nMilitants ransacked valuable relics of the Umayyad Mosque in Aleppo on "
                      "Wednesday.", published="2013-04-25")
    assert [(e.asset.label, e.event_type) for e in extraction.events] == [
        ("Relics of the Umayyad Mosque", "looted")]


def test_the_sites_right_after_a_reported_group_are_that_group():
    extraction = read("There was an outcry over the destruction of shrines in Timbuktu. The Sufi sites were "
                      "attacked by Ansar Dine, which seized the city in April.", published="2012-08-26")
    assert who_did_what(extraction) == [
        ("Shrines in Timbuktu", "destroyed", ["Ansar Dine"])]


def test_blamed_on_and_accused_of_give_an_unverified_perpetrator():
    extraction = read("A shrine of Sidi Abdel Salam in Zlitan has been partly destroyed, the latest in a series of "
                      "attacks blamed on Salafi Islamists.", published="2012-08-26")
    (event,) = extraction.events
    assert (event.event_type, event.status, event.hedge, [p.label for p in event.perpetrators]) == (
        "damaged", "unverified", "blamed on", ["Salafi Islamists"])
    accused = read("Ansar Dine seized Timbuktu. The militants were accused of damaging the Sidi Yahya Mosque.",
                   published="2012-08-26")
    assert [(e.status, [p.label for p in e.perpetrators]) for e in accused.events] == [
        ("unverified", ["Ansar Dine"])]


def test_capitalised_plural_descriptions_point_back_too():
    extraction = read("A shrine in Tripoli was partly destroyed in attacks blamed on Salafi Islamists. Hardliners "
                      "were accused of damaging the tomb of Abdel Salam al-Asmar in Zlitan.", published="2012-08-26")
    assert [[p.label for p in e.perpetrators] for e in extraction.events] == [
        ["Salafi Islamists"], ["Salafi Islamists"]]


def test_the_government_with_no_antecedent_is_the_article_countrys():
    extraction = read("Islamic State militants bulldozed the Saint Elian Monastery in central Syria. A witness told "
                      "the AP that government shelling of the area had already damaged the monastery before IS "
                      "fighters destroyed it.", published="2015-08-21")
    assert sorted((e.event_type, [p.label for p in e.perpetrators]) for e in extraction.events) == [
        ("damaged", ["Syrian government"]), ("destroyed", ["Islamic State"])]


def test_a_passive_list_of_verbs_shares_its_subject_and_eras_stay_apart():
    extraction = read("The Umayyad Mosque of Aleppo was shelled on Wednesday. It was originally built in the 8th "
                      "century but was apparently destroyed and then rebuilt in the 13th century.",
                      published="2013-04-25")
    assert sorted((e.event_type, e.when.edtf, e.status) for e in extraction.events) == [
        ("damaged", "2013-04-24", "reported"), ("destroyed", "0701/0800", "unverified"),
        ("restored", "1201/1300", "reported")]


def test_later_mentions_of_a_contested_destruction_stay_contested():
    extraction = read("Islamic State blew up the Grand al-Nuri Mosque in Mosul on Wednesday. The group blamed a "
                      "US strike for the destruction. The prime minister said the Islamic State blowing up the "
                      "Hadba minaret was an admission of defeat.", published="2017-06-22")
    assert sorted((e.asset.label, e.status) for e in extraction.events) == [
        ("Grand al-Nuri Mosque", "disputed"), ("Hadba minaret", "disputed")]


def test_a_tomb_described_by_whose_it_is_joins_the_named_tomb_and_keeps_its_doubt():
    extraction = read("Hardliners were accused of damaging the tomb of a Sufi scholar in the city of Zlitan. On "
                      "Friday, a group attacked the tomb of scholar Abdel Salam al-Asmar in Zlitan.",
                      published="2012-08-26")
    assert [(e.asset.label, e.status, e.when.edtf) for e in extraction.events] == [
        ("Tomb of scholar Abdel Salam al-Asmar", "unverified", "2012-08-24")]


@pytest.mark.parametrize(
    ("sentence", "phase"),
    [
        ("UNESCO plans to restore the Temple of Bel in Palmyra.", "planned"),
        ("UNESCO will rebuild the Temple of Bel in Palmyra.", "planned"),
        ("Workers began restoring the Temple of Bel in Palmyra last week.", "started"),
        ("The Temple of Bel in Palmyra is being restored by experts.", "ongoing"),
        ("Masons finished restoring the Temple of Bel in Palmyra in July.", "completed"),
    ],
)
def test_restorations_planned_and_done(sentence, phase):
    (event,) = read(sentence, published="2016-08-31").events
    assert (event.asset.label, event.event_type, event.phase) == ("Temple of Bel", "restored", phase)


def test_looting_seen_as_holes_dug_by_looters():
    extraction = read("Satellite images show thousands of holes dug by looters at Apamea.", published="2016-02")
    assert [(e.asset.key, e.event_type, e.perpetrators) for e in extraction.events] == [("site/apamea", "looted", ())]


def test_explosives_planted_are_a_threat_until_the_blast():
    planted = read("Islamic State militants planted explosives at the Temple of Bel in Palmyra on Sunday.",
                   published="2015-08-31")
    assert [(e.event_type, [p.label for p in e.perpetrators]) for e in planted.events] == [
        ("threatened", ["Islamic State"])]
    blown = read("Militants planted explosives at the Temple of Bel in Palmyra on Sunday and then blew it up.",
                 published="2015-08-31")
    assert [e.event_type for e in blown.events] == ["destroyed"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Officials denied reports that Islamic State had destroyed the Temple of Bel in Palmyra.",
        "Reports that Islamic State had destroyed the Temple of Bel in Palmyra were untrue, officials said.",
    ],
)
def test_a_report_the_text_calls_untrue_is_denied(sentence):
    (event,) = read(sentence, published="2015-08-31").events
    assert event.status == "denied"


def test_who_reported_it_is_kept():
    extraction = read("The Syrian Observatory for Human Rights said Islamic State blew up the Temple of Bel in "
                      "Palmyra on Sunday.", published="2015-08-31")
    (event,) = extraction.events
    assert [a.label for a in event.reported_by] == ["Syrian Observatory for Human Rights"]


@pytest.mark.parametrize(
    ("sentence", "hedge"),
    [
        ("The destruction of the Temple of Bel in Palmyra could not be independently verified.",
         "could not be independently verified"),
        ("Islamic State is believed to have destroyed the Temple of Bel in Palmyra.", "is believed to"),
    ],
)
def test_hedges_make_events_unverified(sentence, hedge):
    (event,) = read(sentence, published="2015-08-31").events
    assert (event.status, event.hedge) == ("unverified", hedge)


def test_unlisted_monuments_by_their_own_names():
    extraction = read("Ansar Dine destroyed the tombs at the Djingareyber mosque in Timbuktu. Years later, the "
                      "al-Hadba minaret in Mosul was blown up.", published="2017-07-11")
    assert sorted(e.asset.label for e in extraction.events) == ["Al-Hadba minaret",
                                                                "Tombs at the Djingareyber mosque"]


def test_each_side_blaming_the_other_is_disputed():
    extraction = read("The minaret of the Umayyad Mosque in Aleppo was destroyed on Wednesday, and each side "
                      "blamed the other.", published="2013-04-25")
    assert [(e.status, e.perpetrators) for e in extraction.events] == [("disputed", ())]


def test_heritage_in_passing_gives_no_event():
    extraction = read("Tourists visited the Temple of Bel in Palmyra in 2009, admiring its columns. The museum in "
                      "Tadmur reopened its doors to visitors on Sunday.", published="2009-09-29")
    assert extraction.events == []


def test_the_speaker_of_a_quote_is_not_the_perpetrator_and_their_today_is_not_the_papers():
    extraction = read('"They placed explosives in the Temple of Bel today and then blew it up," the antiquities '
                      "chief Maamoun Abdulkarim told AFP.", published="2015-08-31")
    assert [(e.event_type, e.perpetrators, e.when.edtf) for e in extraction.events] == [("destroyed", (), "2015")]


def test_a_headline_told_again_is_quoted_from_the_body():
    extraction = read("Temple of Bel blown up by IS\nIslamic State militants blew up the Temple of Bel in Palmyra "
                      "on Sunday.", published="2015-08-31")
    (event,) = extraction.events
    assert event.evidence.text == "Islamic State militants blew up the Temple of Bel in Palmyra on Sunday."


def test_a_designation_is_the_site_and_counts_are_not_names():
    extraction = read("IS took control of Palmyra in May, sparking fears the group might demolish the Unesco World "
                      "Heritage site. Militants later damaged at least seven tombs in Timbuktu.",
                      published="2015-08-24")
    assert sorted((e.asset.label, e.event_type) for e in extraction.events) == [
        ("Palmyra", "threatened"), ("Tombs in Timbuktu", "damaged")]


def test_a_monument_is_not_placed_at_a_site_named_only_elsewhere():
    extraction = read("Islamic State fighters beheaded a scholar in Palmyra last week.\n"
                      "Near Qaryatain, militants bulldozed the Saint Elian Monastery on Friday.",
                      published="2015-08-21")
    (event,) = extraction.events
    assert (event.asset.label, event.site) == ("Saint Elian Monastery", None)
