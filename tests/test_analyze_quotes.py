from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsfuse.analyze.quotes import (
    MIN_QUOTE_WORDS,
    _named_like_a_person,
    _quotations,
    _shared_words,
    article_quotes,
    given_name_pronouns,
    person_names,
    quote_marks,
    same_quotation,
    story_quotes,
)
from newsfuse.records import Article, EntityMention, ParsedArticle


def article(text: str, people: tuple[str, ...] = ()) -> ParsedArticle:
    """A parsed article whose PERSON mentions are every occurrence of the given names."""
    mentions = tuple(
        EntityMention(m.group(0), m.group(0), "PERSON", m.start(), m.end())
        for name in people
        for m in re.finditer(re.escape(name), text)
    )
    return ParsedArticle(Article("a1", "Title", text), (), tuple(sorted(mentions, key=lambda m: m.start)), ())


def speakers(
    text: str, people: tuple[str, ...] = (), names: dict[str, str] | None = None
) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in article_quotes(article(text, people), names or {})]


def test_split_quote_around_an_attribution_is_one_quote() -> None:
    text = "Maria Lopez spoke. \u201cWe will rebuild,\u201d she said, \u201cand we will do it this year.\u201d"
    quotes = article_quotes(article(text, ("Maria Lopez",)), {})
    assert len(quotes) == 1
    assert quotes[0].speaker == "Maria Lopez"
    assert [p.text for p in quotes[0].parts] == ["We will rebuild,", "and we will do it this year."]
    assert text[quotes[0].start] == "\u201c" and text[quotes[0].end - 1] == "\u201d"


def test_a_quote_whose_marks_are_mixed_around_its_attribution_is_split_by_it() -> None:
    text = '\u201cI heard parts of Bernie\'s speech," Trump said. "He wants to give away our country, folks.\u201d'
    (quote,) = article_quotes(article(text, ("Trump",)), {})
    assert quote.speaker == "Trump"
    assert [p.text for p in quote.parts] == [
        "I heard parts of Bernie's speech,",
        "He wants to give away our country, folks.",
    ]
    # the attribution between the marks is no quoted text, so the name in it is a person who speaks
    guardian = (
        "\u201cI don't think there is bad publicity,\" said Atlantic City Mayor Don Guardian in a telephone "
        'interview. "We need to diversify our economy.\u201d'
    )
    assert [s for _, s in speakers(guardian, ("Don Guardian",))] == ["Don Guardian"]
    victory = (
        '\u201cWe are going to start winning again," Trump said at his victory party in Manchester, two hours '
        'after news outlets declared him the victor in the New Hampshire GOP primary. "You are going to be so '
        "happy.\u201d"
    )
    assert [s for _, s in speakers(victory, ("Trump",))] == ["Trump"]


def test_attribution_patterns() -> None:
    names = {"lopez": "Maria Lopez", "maria lopez": "Maria Lopez"}
    assert speakers('Maria Lopez came. "The bridge is safe now," Lopez added.', ("Maria Lopez", "Lopez"), names) == [
        ("The bridge is safe now,", "Maria Lopez")
    ]
    # The story knows a Maria Lopez, but this article names only "Lopez": that is its speaker.
    assert speakers('"The bridge is safe now," Lopez added.', ("Lopez",), names) == [
        ("The bridge is safe now,", "Lopez")
    ]
    assert speakers("``The bridge is safe now,'' said Lopez.", ("Lopez",), names) == [
        ("The bridge is safe now,", "Lopez")
    ]
    assert speakers("Lopez said that \u2018the bridge is safe\u2019 on Monday.", ("Lopez",), names) == [
        ("the bridge is safe", "Lopez")
    ]
    assert speakers('Paper X quoted Lopez as saying "the bridge is safe".', ("Lopez",), names) == [
        ("the bridge is safe", "Lopez")
    ]


def test_whom_an_outlet_quotes_as_saying_speaks_not_the_outlet(parsed_samples: tuple[ParsedArticle, ...]) -> None:
    """From the seeds: '... second summit...", CNN quoted Press Secretary Sarah Sanders as saying.'"""
    quotes = [q for parsed in parsed_samples for q in article_quotes(parsed, {}) if "second summit" in q.text]
    assert [(q.speaker, q.speaker_kind) for q in quotes] == [("Sarah Sanders", "person")]
    text = (
        "Maria Lopez toured the site on Monday.\n"
        '"The bridge is safe now," Reuters quoted a spokesman as saying.\n'
        '"We will reopen it," the agency quoted her as saying.\n'
        'Smith quoted Lopez as saying "the river has fallen."'
    )
    quoted = article(text, ("Maria Lopez", "Smith", "Lopez"))
    reuters = EntityMention("Reuters", "Reuters", "ORG", text.index("Reuters"), text.index("Reuters") + 7)
    parsed = replace(quoted, entities=tuple(sorted((reuters, *quoted.entities), key=lambda m: m.start)))
    assert [q.speaker for q in article_quotes(parsed, {})] == ["a spokesman", "Maria Lopez", "Maria Lopez"]


def test_a_compound_in_ed_before_the_name_is_part_of_its_title() -> None:
    text = '"How much worse could it get?" said Florida-based Republican strategist Al Cardenas, referring to Trump.'
    assert [s for _, s in speakers(text, ("Al Cardenas", "Trump"))] == ["Al Cardenas"]


def test_role_is_resolved_only_through_a_title_in_the_text() -> None:
    text = (
        "UN Secretary-General Antonio Guterres spoke. Tom Hill listened. "
        'The UN chief told reporters that both sides "must come together now."'
    )
    assert speakers(text, ("Antonio Guterres", "Tom Hill")) == [("must come together now.", "Antonio Guterres")]
    unlinked = 'Tom Hill listened. The fire chief said "the blaze is out now."'
    assert speakers(unlinked, ("Tom Hill",)) == [("the blaze is out now.", "The fire chief")]


def test_a_pronoun_after_a_sentence_opened_by_a_bare_name_is_not_the_earlier_person() -> None:
    """From the seeds: 'he' is the ambiguous 'Kim' (Kim Jong-un or Kim Yong Chol), not Trump."""
    text = (
        "Donald Trump met Kim Yong Chol and spoke of Kim Jong Un. Kim expressed frustration. "
        'But last week, he said North Korea would pursue "results that will be welcomed."'
    )
    people = ("Donald Trump", "Kim Yong Chol", "Kim Jong Un", "Kim")
    assert speakers(text, people) == [("results that will be welcomed.", None)]
    named = text.replace("Kim expressed", "Tom Hill expressed")
    assert speakers(named, (*people, "Tom Hill")) == [("results that will be welcomed.", "Tom Hill")]


def test_no_speaker_without_an_attribution() -> None:
    text = 'The plan, known as "the grand bargain of the year," has no author that Ann Lee would name.'
    assert speakers(text, ("Ann Lee",)) == [("the grand bargain of the year,", None)]
    assert speakers('He wrote "an unfinished quote without end.', ("Tom Hill",)) == []


def test_words_quoted_in_a_sentence_with_no_speech_verb_are_its_subjects() -> None:
    text = (
        "In an August speech, Donald Trump attacked \u201cthe hateful ideology of radical Islam.\u201d\n"
        "Derek Kukura described the club as a place \u201cwhere nobody has to hide what they think.\u201d\n"
        'On the other hand, Paul Weitz also directed last year\'s "The Golden Compass," an expensive mess.\n'
        "And last week, following a report about a video in which Donald Trump bragged about it, a student "
        'group derided him as a man "who constantly and proudly speaks evil."\n'
        'As Tom Hill called the plan "a total disaster in the making," the crowd left.\n'
        'Donald Trump spoke for an hour. He pledged to be "the greatest jobs president that God ever created" '
        "and left.\n"
        "He was profiled in a magazine, which called him the \u201cangry populist enforcer of the race.\u201d\n"
        'Ohio Gov. John Kasich has also broadly called for "boots on the ground in Syria."'
    )
    assert [
        s for _, s in speakers(text, ("Donald Trump", "Derek Kukura", "Paul Weitz", "Tom Hill", "John Kasich"))
    ] == [
        "Donald Trump",
        "Derek Kukura",
        None,
        None,
        None,
        "Donald Trump",
        None,
        "John Kasich",
    ]


def test_the_subject_may_act_after_a_phrase_between_commas_or_a_relative_who() -> None:
    text = (
        'Ted Nordhaus, co-founder of the Breakthrough Institute, welcomed "the recognition that we do not '
        'have all the technology we need."\n'
        "The contrast was stark with the introduction by his daughter Ivanka Trump, who portrayed him as a "
        'business executive who would be "the people\'s champion."'
    )
    assert [s for _, s in speakers(text, ("Ted Nordhaus", "Ivanka Trump"))] == ["Ted Nordhaus", "Ivanka Trump"]


def test_a_pronoun_is_not_the_person_its_own_clause_names() -> None:
    text = (
        "Hillary Clinton wrote to the president.\n"
        "Clinton sent a copy of her email to John Podesta.\n"
        "She also pitched the president about elephant poaching, a favorite issue for her and her daughter "
        "Chelsea Clinton.\n"
        "\u201cI am so ready to work on this!\u201d she emailed her daughter Chelsea Clinton in 2012."
    )
    assert speakers(text, ("Hillary Clinton", "Chelsea Clinton")) == [
        ("I am so ready to work on this!", "Hillary Clinton")
    ]


def test_emailing_and_surmising_are_speech() -> None:
    text = 'Brad Lee read the news. "People are afraid of wasting their votes," he surmised.'
    assert speakers(text, ("Brad Lee",)) == [("People are afraid of wasting their votes,", "Brad Lee")]


def test_a_pronoun_before_a_colon_introduces_the_quote() -> None:
    text = (
        "Donald Trump spoke in Phoenix.\n\nBut back on American soil, he returned to his familiar lines: "
        '"It\'s called America First! There will be no amnesty!"'
    )
    assert [s for _, s in speakers(text, ("Donald Trump",))] == ["Donald Trump"]


def test_same_quotation_needs_the_same_speaker_and_most_words() -> None:
    text = (
        '"We had very good steps in good faith," Ana Lopez said. "We had very good steps and good faith," Bo Lee said.'
    )
    first, second = article_quotes(article(text, ("Ana Lopez", "Bo Lee")), {})
    assert not same_quotation(first, second)
    again = article_quotes(article(text.replace("Bo Lee", "Ana Lopez"), ("Ana Lopez",)), {})
    assert same_quotation(again[0], again[1])


def test_a_statement_and_another_one_sharing_scattered_words_are_not_one_quotation() -> None:
    text = (
        '"I thought it just had to be one of the craziest things parents could teach," Ana Lopez said. '
        '"I thought that was something they did in the 1800s," Ana Lopez said.'
    )
    first, second = article_quotes(article(text, ("Ana Lopez",)), {})
    assert first.speaker == second.speaker == "Ana Lopez"
    assert not same_quotation(first, second)


def test_speakers_are_full_names_and_never_the_owner_of_the_speaker() -> None:
    text = (
        "Tara Reid checked in. \u201cShe is in treatment now,\u201d Reid's rep told Us. "
        "\u201cIt was a real mess,\u201d she said. Lopez added: \u201cNobody here knows her.\u201d"
    )
    names = {"reid": "Tara Reid", "tara reid": "Tara Reid"}
    assert speakers(text, ("Tara Reid", "Reid", "Lopez"), names) == [
        ("She is in treatment now,", None),
        ("It was a real mess,", "Tara Reid"),
        ("Nobody here knows her.", "Lopez"),
    ]


def test_a_pronoun_continues_the_last_speaker_unless_someone_new_is_named() -> None:
    text = (
        "\u201cA strike would be horrible,\u201d said Ron Howard, the Oscar-winning director of Ann Day's film.\n"
        "\u201cThe timing could not be worse,\u201d he said.\n"
        "Later Tom Hill spoke. \u201cWe will manage it somehow,\u201d he said."
    )
    assert [s for _, s in speakers(text, ("Ron Howard", "Ann Day", "Tom Hill"))] == [
        "Ron Howard",
        "Ron Howard",
        "Tom Hill",
    ]


@given(
    st.lists(
        st.sampled_from(['"', "\u201c", "\u201d", "'", "``", "''", "word ", "said ", ", ", ".\n", "x"]), max_size=30
    )
)
def test_quote_spans_are_exact(pieces: list[str]) -> None:
    text = "".join(pieces)
    found = quote_marks(text)
    for quote in found:
        bounds = [quote.outer[0], *(at for part in quote.parts for at in part), quote.outer[1]]
        assert all(a < b for a, b in pairwise(bounds)) and bounds[-1] <= len(text)
        assert len(text[quote.parts[0][0] : quote.parts[-1][1]].split()) >= 3
    assert all(a.end <= b.start for a, b in pairwise(found))


_MARK_PAIRS = [("\u201c", "\u201d"), ('"', '"'), ("``", "''"), ("\u00ab", "\u00bb"), ("\u2018", "\u2019"), ("'", "'")]


@given(
    st.lists(
        st.sampled_from(
            [
                *('"', "\u201c", "\u201d", "\u2018", "\u2019", "\u00ab", "\u00bb", "'", "`", "word ", "it's ", ".\n"),
                *(f"{opening}one two three{closing} " for opening, closing in _MARK_PAIRS),
            ]
        ),
        max_size=30,
    )
)
def test_skipping_texts_without_an_opening_mark_finds_the_same_quotes(pieces: list[str]) -> None:
    """``quote_marks`` skips the search where no mark can open a quote; the full search agrees."""
    text = "".join(pieces)
    searched = [f for f in _quotations(text) if len(text[f.parts[0][0] : f.parts[-1][1]].split()) >= MIN_QUOTE_WORDS]
    assert quote_marks(text) == searched


@given(st.lists(st.sampled_from("abcde"), max_size=12), st.lists(st.sampled_from("abcdef"), max_size=12))
def test_shared_words_count_the_words_two_quotes_have_in_common(first: list[str], second: list[str]) -> None:
    assert _shared_words(Counter(first), Counter(second)) == (Counter(first) & Counter(second)).total()


def test_an_unattributed_quote_right_after_an_attributed_one_continues_it() -> None:
    text = (
        "\u201cWe want parents to succeed,\u201d said Jorge Garcia.\n\u201cThese people were on the fringes.\u201d\n"
        "The program started in May.\n\u201cNobody knows who wrote this line.\u201d\n"
        "\u201cThe hopes were shattered,\u201d Ana Lopez said.\n"
        "\u201cThere will be no real change.\u201d Then she left."
    )
    assert [s for _, s in speakers(text, ("Jorge Garcia", "Ana Lopez"))] == [
        "Jorge Garcia",
        "Jorge Garcia",
        None,  # not right after an attributed quote
        "Ana Lopez",
        None,  # the paragraph goes on after it
    ]


def test_a_quote_right_after_its_attribution_sentence_ignores_a_speech_verb_in_its_clauses() -> None:
    text = (
        '"The intensity of his supporters is so much greater," said Rep. Beto O\'Rourke, a Clinton endorser '
        'who suggested that Sanders could pull out voters. "In El Paso, she crushed him, and yet it was '
        'like 3 to 1 Bernie."'
    )
    assert [s for _, s in speakers(text, ("Beto O'Rourke", "Clinton"))] == ["Beto O'Rourke", "Beto O'Rourke"]


def test_a_pronoun_never_switches_a_persons_gender() -> None:
    text = (
        "Stephenie Meyer wrote to fans. \u201cThe director is excited by the story,\u201d she wrote.\n"
        "\u201cI promise to remain responsive to your hopes,\u201d he wrote."
    )
    assert [s for _, s in speakers(text, ("Stephenie Meyer",))] == ["Stephenie Meyer", None]


def test_a_given_name_marks_a_gender_the_text_never_states() -> None:
    # "his" after Hillary Clinton is the subject's, so only her given name says who "he" is not
    text = (
        "Bernie Sanders apologized to Hillary Clinton for his campaign's use of her data.\n"
        "The crowd booed Hillary Clinton loudly.\n"
        "\u201cIt bothers me very much that this happened,\u201d he said."
    )
    assert speakers(text, ("Bernie Sanders", "Hillary Clinton")) == [
        ("It bothers me very much that this happened,", "Bernie Sanders")
    ]
    # what the text marks outranks the given name: this Lindsey is "his"
    text = (
        "Lindsey Graham called out his rival Donald Trump on Monday.\n"
        "\u201cHe is destroying the party's chance to win,\u201d he said."
    )
    assert [s for _, s in speakers(text, ("Lindsey Graham", "Donald Trump"))] == ["Lindsey Graham"]
    table = given_name_pronouns()  # the file shipped in the package
    assert (table["Walter"], table["Hillary"], table["Carly"]) == ("he", "she", "she")
    assert "Jordan" not in table and "Kelly" not in table  # given both ways: marks nothing
    assert set(table.values()) == {"he", "she"} and len(table) > 800


@pytest.mark.parametrize(
    ("text", "people", "expected"),
    [
        # the person the sentence before has speak
        (
            "Madeleine Kunin has known Bernie Sanders for decades.\n"
            "The race between Hillary Clinton and Sanders has turned negative, Kunin said in an interview.\n"
            "\u201cHis normal demeanor is grumpy,\u201d she said.",
            ("Madeleine Kunin", "Bernie Sanders", "Hillary Clinton", "Sanders", "Kunin"),
            "Madeleine Kunin",
        ),
        # the head of a titled noun phrase, not the name that modifies it
        (
            "Hillary Clinton spoke in Ohio on Monday.\n"
            "Clinton spokeswoman Jennifer Palmieri criticized the charge on Tuesday.\n"
            "\u201cNice try, but it is not true,\u201d she said in a tweet.",
            ("Hillary Clinton", "Clinton", "Jennifer Palmieri"),
            "Jennifer Palmieri",
        ),
        # a name that modifies a role noun is not the person the sentence is about
        (
            "Joseph Murray practices law in Ripley. He is a devout Catholic and Donald Trump supporter.\n"
            "\u201cThe politics are just so blatant,\u201d he said.",
            ("Joseph Murray", "Donald Trump"),
            "Joseph Murray",
        ),
        # a platform is where it was said, never who said it, whatever the tagger makes of it
        (
            "Michelle Fields spoke in Florida. She answered on Twitter.\n"
            "\u201cSeriously, just stop lying,\u201d she wrote.",
            ("Michelle Fields", "Twitter"),
            "Michelle Fields",
        ),
        # a name the tagger missed opens a sentence: a run of capitalised words ends with the one before
        (
            "Jamal Simmons worked in the Clinton White House. Simmons, an Obama supporter, said he saw a shift "
            "while Barack Obama campaigned.\n\u201cIt is challenging our assumptions,\u201d he said.",
            ("Jamal Simmons", "Barack Obama"),
            "Jamal Simmons",
        ),
    ],
)
def test_a_pronoun_goes_to_whom_the_sentence_before_has_speak_or_is_about(
    text: str, people: tuple[str, ...], expected: str
) -> None:
    assert [s for _, s in speakers(text, people)] == [expected]


def test_a_sentences_opening_word_is_no_part_of_the_name_after_it() -> None:
    trump = (
        "Though Trump would not name a running mate, he ruled one out.\n"
        "\u201cIt is not going to be Rubio,\u201d he said."
    )
    assert [s for _, s in speakers(trump, (), {"trump": "Donald Trump"})] == ["Trump"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # an apposition describes its subject
        ('John Weaver, a GOP strategist who has feuded with Paul Manafort, wrote: "It was the worst day."', 0),
        # a participle goes on with the clause's subject
        ('Madeleine Albright urged women to vote for Hillary Clinton, saying, "There is a place in hell."', 0),
        # a second verb of the same subject, not of whom the first verb's clause names
        ('Bill de Blasio said the move was made by Bill Bratton and said, "Who are you going to trust?"', 0),
        ('Speaking to Matei Rosca, Marcel Lazar said he welcomed it and added, "I will plead guilty."', 1),
        # the nearest to the verb otherwise: a leading clause names someone else
        ('After meeting Donald Trump in May, Paul Ryan said: "We are not there yet on this."', 1),
    ],
)
def test_the_subject_of_the_clause_speaks_not_whom_it_mentions(text: str, speaker: int) -> None:
    """``speaker`` is which of the two people the text names speaks."""
    people = tuple(re.findall(r"[A-Z][a-z]+(?: de)? [A-Z][a-z]+", text))
    assert len(people) == 2
    assert [s for _, s in speakers(text, people)] == [people[speaker]]


def test_a_person_the_tagger_made_an_organisation_is_a_person() -> None:
    text = (
        "Carly Fiorina spoke in Philadelphia. Her husband, Frank Fiorina, sat in the front row.\n"
        "\u201cThere are two looks that people get,\u201d Fiorina said."
    )
    fiorina = article(text, ("Frank Fiorina",))
    tagged = EntityMention("Carly Fiorina", "Carly Fiorina", "ORG", 0, 13)
    parsed = replace(fiorina, entities=(tagged, *fiorina.entities))
    assert [q.speaker for q in article_quotes(parsed, {})] == ["Carly Fiorina"]
    assert _named_like_a_person(tagged)
    assert not _named_like_a_person(EntityMention("Paul Weiss", "Paul Weiss Foundation", "ORG", 0, 10))
    assert not _named_like_a_person(replace(tagged, label="GPE"))


def test_a_quote_left_unattributed_by_one_outlet_joins_only_on_most_of_its_words() -> None:
    named = '"Nothing in this regulation relieves a federal agency of its duties," Dirk Kempthorne said.'
    first = article_quotes(article(named, ("Dirk Kempthorne",)), {})[0]
    same = article_quotes(article('"Nothing in the regulation relieves a federal agency of its duties."'), {})[0]
    other = article_quotes(article('"A federal agency has its duties and its regulation."'), {})[0]
    assert same.speaker is None and same_quotation(first, same)
    assert not same_quotation(first, other)
    assert not same_quotation(same, same)  # two unnamed quotes (titles, slogans) never join


_SENTENCES = (
    "Sen. Ron Johnson, a Wisconsin Republican, spoke first.",
    "Johnson said the bill was dead.",
    "\u201cThis bill will not pass the Senate,\u201d Johnson said.",
    "\u201cWe have the votes to stop it today,\u201d he added.",
    "Ann Lee listened. \u201cThe bill is not dead at all,\u201d she said.",
    "\u201cWe will keep on fighting for it,\u201d a spokesman for the group said.",
    "\u201cNobody expected a vote this week,\u201d said Mr. Johnson.",
    "\u2015 Steve Quinlan",
    "\u201cThe vote is over for this year.\u201d",
)


@given(st.lists(st.lists(st.sampled_from(_SENTENCES), min_size=1, max_size=6), min_size=1, max_size=3))
def test_every_speaker_is_named_in_the_quotes_own_article(texts: list[list[str]]) -> None:
    """Names shared across a story (person_names) never give a quote a speaker that its own
    article does not name: the speaker and its evidence are words of that article."""
    people = ("Ron Johnson", "Johnson", "Ann Lee", "Steve Quinlan")
    parsed = []
    for number, sentences in enumerate(texts):
        one = article("\n".join(sentences), people)
        parsed.append(replace(one, article=replace(one.article, id=f"a{number}")))
    by_id = {p.id: p.article.text for p in parsed}
    for quote in story_quotes(parsed, person_names(parsed)):
        text = by_id[quote.article_id]
        if quote.speaker is None:
            assert quote.speaker_kind == "unknown" and quote.speaker_evidence is None
            continue
        evidence = quote.speaker_evidence
        assert evidence is not None and evidence.article_id == quote.article_id
        assert text[evidence.start : evidence.end] == evidence.text
        assert quote.speaker in text
        assert quote.speaker_kind in ("person", "organisation", "role")


def test_a_name_from_another_article_is_not_a_speaker() -> None:
    """Article one names 'Ron Johnson'; article two only 'Johnson': its quote is Johnson's."""
    first = article("Sen. Ron Johnson, a Wisconsin Republican, spoke first.", ("Ron Johnson",))
    second = article("\u201cThis bill will not pass the Senate,\u201d Johnson said.", ("Johnson",))
    second = replace(second, article=replace(second.article, id="a2"))
    (quote,) = story_quotes([first, second], person_names([first, second]))
    assert (quote.speaker, quote.speaker_kind) == ("Johnson", "person")
    assert quote.speaker_evidence is not None and quote.speaker_evidence.text == "Johnson"


def test_short_forms_honorifics_pronouns_roles_and_vox_pop() -> None:
    text = (
        "The Rev. Al Sharpton led the march on Sunday. Mayor Ann Lee watched from the steps.\n"
        "\u201cWe are not going anywhere,\u201d said the Rev. Sharpton.\n"
        "\u201cThis city belongs to all of us,\u201d she said.\n"
        "\u201cThe permits were in order,\u201d a police spokesman said.\n"
        "\u201cI came because my son was stopped twice last year.\u201d \u2015 Steve Quinlan\n"
        "According to Mr. Sharpton, \u201cthe march was only the beginning.\u201d"
    )
    people = ("Al Sharpton", "Sharpton", "Ann Lee", "Steve Quinlan")
    quotes = article_quotes(article(text, people), {})
    assert [(q.speaker, q.speaker_kind) for q in quotes] == [
        ("Al Sharpton", "person"),
        ("Ann Lee", "person"),
        ("a police spokesman", "role"),
        ("Steve Quinlan", "person"),
        ("Al Sharpton", "person"),
    ]
    assert quotes[1].speaker_evidence is not None and quotes[1].speaker_evidence.text == "Ann Lee"


def test_a_quote_introduced_by_a_colon_in_the_paragraph_before() -> None:
    text = "Dr. Kelli Ward was asked about the ruling. Ward stated:\n\n\u201cThe department has lost its way.\u201d"
    assert speakers(text, ("Kelli Ward", "Ward")) == [("The department has lost its way.", "Kelli Ward")]


def test_a_quote_over_paragraphs_leaves_them_open_and_is_one_quote() -> None:
    text = (
        "Dr. Kelli Ward stated:\n\n"
        '"The department isn\u2019t about \u201cEqual Justice Under Law\u201d anymore.\n\n'
        '"The latest example is Loretta Lynch suing North Carolina.\n\n'
        '"I\u2019ll stop DC at the bathroom door."\n\n'
        "\u201cI spoke to a wide array of groups,\u201d said Hillary Clinton. \u201cI happen to think we need more.\n"
        "\u201cI think groups that want to talk are trying to educate themselves.\u201d\n"
        'Loretta Lynch called the mayor a \u201cgood corporate citizen," who gave back to charities.\n'
        "\u201cThat\u2019s an interesting question,\u201d said Mayor Ann Moss."
    )
    quotes = article_quotes(article(text, ("Kelli Ward", "Hillary Clinton", "Loretta Lynch", "Ann Moss")), {})
    assert [(len(q.parts), q.speaker) for q in quotes] == [
        (3, "Kelli Ward"),  # the quote inside it is part of it
        (3, "Hillary Clinton"),
        (1, "Ann Moss"),  # closed by a straight mark, the quote of a paragraph before goes on in none
    ]
    assert quotes[0].text.startswith("The department") and quotes[0].text.endswith("bathroom door.")
    # a paragraph left open that no paragraph opened by the same mark follows is no quote; one
    # inside it still is
    pulled = '"\u201cIf I was a donor, I\u2019d want answers.\u201d\nRepublican committee member."'
    assert [q.text for q in article_quotes(article(pulled), {})] == ["If I was a donor, I\u2019d want answers."]
    mixed = '"I want to wait until I meet with Bibi\u201d before, he said.\n\u201cHe said, trust me.\u201d'
    assert [q.text for q in article_quotes(article(mixed), {})] == ["He said, trust me."]


def test_name_colon_said_first_and_gender_from_the_next_sentence() -> None:
    text = (
        "Pollsters agree - Carl Bialik: \u201cKeep on contacting voters as late as possible.\u201d\n"
        "Said Dora Poynter, who grew up nearby, \u201cWe were all so proud of him.\u201d\n"
        "Ann Moss arrived at the hall. She spoke first. Tom Reyes came later. He sat down.\n"
        "\u201cWe will win this one,\u201d she said."
    )
    people = ("Carl Bialik", "Dora Poynter", "Tom Reyes", "Ann Moss")
    assert [s for _, s in speakers(text, people)] == ["Carl Bialik", "Dora Poynter", "Ann Moss"]


def test_quote_marks_are_not_words_and_initials_do_not_end_the_attribution() -> None:
    text = (
        '"Nothing has changed our assessment of their abilities," White House press secretary Josh Earnest '
        'told reporters. "We are still studying the test."\n'
        '"I think that he is a man who is lost," said Lindsey O. Graham, his hawkish colleague and former rival '
        'in the race. "He wants it both ways."'
    )
    people = ("Josh Earnest", "Lindsey O. Graham")
    assert [s for _, s in speakers(text, people)] == ["Josh Earnest", "Lindsey O. Graham", "Lindsey O. Graham"]
    # a title's abbreviation ends no sentence either: 'Del.' (delegate), 'Amb.'
    titled = '"This is a waste of time," said Del. Stacey Plaskett of the Virgin Islands.'
    assert [s for _, s in speakers(titled, ("Stacey Plaskett",))] == ["Stacey Plaskett"]


def test_the_speaker_is_the_head_of_a_named_noun_phrase() -> None:
    text = (
        "\u201cThe internment was a dark moment in our past,\u201d Clinton spokesman Josh Schwerin said.\n"
        "\u201cOctober was a good month for her,\u201d said former Obama adviser David Axelrod.\n"
        "\u201cI don\u2019t think either one helped,\u201d said Ari Fleischer, press secretary to George W. Bush.\n"
        "\u201cShe went so far as to call herself \u2018above the president,\u2019 \u201d said Khin Zaw Win."
    )
    people = ("Clinton", "Josh Schwerin", "Obama", "David Axelrod", "Ari Fleischer", "George W. Bush", "Khin Zaw Win")
    assert [s for _, s in speakers(text, people)] == [
        "Josh Schwerin",
        "David Axelrod",
        "Ari Fleischer",
        "Khin Zaw Win",
    ]


def test_a_quote_signed_on_the_next_line() -> None:
    text = '"Boeing and other multinationals pay zero taxes."\n\n- Sanders.\n\nThis is a complex issue.'
    assert speakers(text, ("Sanders",)) == [("Boeing and other multinationals pay zero taxes.", "Sanders")]


def test_a_colon_hands_the_quote_to_its_clauses_subject() -> None:
    text = (
        "Gov. John Kasich resisted: \u201cOhio governors do not have the power to suspend those rights.\u201d\n"
        "Later, nominee Donald Trump issued the following statement:\n\n"
        "\u201cOur prayers are with all those affected.\u201d"
    )
    people = ("John Kasich", "Donald Trump")
    assert [s for _, s in speakers(text, people)] == ["John Kasich", "Donald Trump"]


def test_verbs_outside_the_list_and_asked_at_the_quote() -> None:
    # a quote ending in a comma or a question mark runs on into its attribution, whatever the verb
    assert speakers("\u201cHold on to your dreams,\u201d Nina Cole sings to the crowd.", ("Nina Cole",)) == [
        ("Hold on to your dreams,", "Nina Cole")
    ]
    assert speakers('"What made him change his mind?" Beck questioned.', ()) == [
        ("What made him change his mind?", "Beck")
    ]
    assert speakers('"Everyone told us to stop," remembered Roy Verley, a former aide.', ("Roy Verley",)) == [
        ("Everyone told us to stop,", "Roy Verley")
    ]
    # a quote ending in a full stop does not: the next sentence is a new one
    assert speakers('"The plant will close." Carter walked out.', ("Carter",)) == [("The plant will close.", None)]
    # '"...?" asked Dunn': Dunn asks; in 'asked Dunn whether ...' Dunn would be asked
    assert speakers('"Why would you not raise it?" asked Dunn, a former adviser.', ("Dunn",)) == [
        ("Why would you not raise it?", "Dunn")
    ]


def test_a_quote_after_the_attribution_of_a_short_one_goes_on_with_its_speaker() -> None:
    text = '"Not me," said Tom Reyes, 21, shaking his head. "I do not want to be part of that."'
    assert speakers(text, ("Tom Reyes",)) == [("I do not want to be part of that.", "Tom Reyes")]


def test_a_name_modifying_a_role_is_not_the_speaker() -> None:
    text = '"We saw it coming," wrote a Lopez supporter who runs a blog.'
    assert speakers(text, ("Lopez",)) == [("We saw it coming,", "a Lopez supporter")]


def test_a_name_the_tagger_missed_before_the_verb_speaks() -> None:
    text = (
        "Marco Rubio spoke on Monday.\n\n"
        'Hannity added, "I think Marco is still a rising star."\n'
        "The sheriff asked the governor to act. Kasich resisted:  "
        '"Ohio governors do not have the power to suspend rights."\n'
        'Another advised, "Aggressive driving is the path to the dark side."'
    )
    assert [s for _, s in speakers(text, ("Marco Rubio",))] == ["Hannity", "Kasich", None]


def test_organisations_and_roles_to_their_last_head_word() -> None:
    text = (
        "Connor Brewer, the football team captain, spoke first.\n"
        '"We desire to do nothing disrespectful of their sacrifice," the football team wrote.\n'
        '"I do not want to have fisticuffs," said one party activist.\n'
        '"He is a politician selling his own brand of fiction," the paper\u2019s editorial board wrote.\n'
        '"Power to the people!" the group shouted from the street.\n'
        '"We need change," the New York businessman said.\n'
        '"It is more of the same, but worse," says a narrator.'
    )
    quotes = article_quotes(article(text, ("Connor Brewer",)), {})
    assert [(q.speaker, q.speaker_kind) for q in quotes] == [
        ("the football team", "organisation"),
        ("one party activist", "role"),
        ("the paper\u2019s editorial board", "organisation"),
        ("the group", "organisation"),
        (None, "unknown"),  # 'businessman' is not the role 'man'
        ("a narrator", "role"),
    ]


def test_a_name_after_a_role_for_someone_is_whom_the_role_serves() -> None:
    text = (
        '"We remain interested in this market," said a spokeswoman for Trump hotels, Jennifer Rodstrom.\n'
        '"The senator is focused on his work," said a spokesman for Tom Reyes.'
    )
    quotes = article_quotes(article(text, ("Trump", "Jennifer Rodstrom", "Tom Reyes")), {})
    assert [(q.speaker, q.speaker_kind) for q in quotes] == [
        ("Jennifer Rodstrom", "person"),
        ("a spokesman", "role"),  # the spokesman speaks, not the senator
    ]


def test_a_retort_is_speech() -> None:
    text = (
        'Sanders shot back, "Secretary Clinton called them out. Oh my goodness."\n'
        'Clinton fired back that the "people of New York voted for me twice" for the Senate.'
    )
    assert [s for _, s in speakers(text, ("Sanders", "Clinton"))] == ["Sanders", "Clinton"]


def test_a_quote_cut_by_a_long_attribution_goes_on_with_its_speaker() -> None:
    text = (
        '"The risk," said Edward Leamer, an economist who is the director of the UCLA Anderson Forecast, '
        '"is that we\'re going to be attracting workers and repelling jobs."\n'
        'Ann Moss praised the plan as "fantastic," telling reporters that it is "a great thing for them."'
    )
    assert [s for _, s in speakers(text, ("Edward Leamer", "Ann Moss"))] == ["Edward Leamer", "Ann Moss"]


def test_a_pronoun_with_no_one_named_before_goes_to_an_owner_of_a_thing_not_a_role() -> None:
    text = (
        "One claim of President Barack Obama\u2019s speech does not stand up to scrutiny.\n\n"
        "He told his audience, to rowdy applause:\n\n\u201cThere has never been a man or a woman more qualified.\u201d"
    )
    assert [s for _, s in speakers(text, ("Barack Obama",))] == ["Barack Obama"]
    rep = "Harry Reid\u2019s spokesman spoke later. \u201cWe have nothing more to add,\u201d he said."
    assert [s for _, s in speakers(rep, ("Harry Reid",))] == [None]


def test_a_long_title_before_the_name_is_no_clause_of_its_own() -> None:
    text = (
        '"I have never been prouder of having worked for you," former State policy planning director '
        "Anne-Marie Slaughter wrote to Clinton in a message."
    )
    assert [s for _, s in speakers(text, ("Anne-Marie Slaughter", "Clinton"))] == ["Anne-Marie Slaughter"]


def test_a_name_opening_a_paragraph_is_no_part_of_the_capitals_ending_the_one_before() -> None:
    text = (
        "The primaries will force Sen. Bernie Sanders to face a hard reality: it is time for Plan B.\n\n"
        "Sanders hasn't said whether he has a plan, and told Hillary Clinton that he is still in the race.\n\n"
        '"Our job is to transform not only our country but the party," he told the crowd.'
    )
    assert [s for _, s in speakers(text, ("Bernie Sanders", "Hillary Clinton"))] == ["Bernie Sanders"]


def test_a_role_is_whole_words_with_no_clause_in_it() -> None:
    text = (
        'As one employee told Palo Alto Weekly, "She wants to put fear in our hearts."\n'
        'In a poll, 75 percent of Republicans said "most people in politics" cannot be trusted.\n'
        '"Nobody thinks I was anything but shocked," the 63-year-old senator '
        "said the other day, recalling her reaction to news that a Democrat in the Missouri General Assembly "
        "sent late-night texts in Jefferson County to interns and that the Republican speaker of the Missouri "
        "House had "
        'exchanged "sexually charged texts" with a 19-year-old intern.'
    )
    roles = [s for _, s in speakers(text)]
    assert roles[:3] == ["one employee", "Republicans", "the 63-year-old senator"]
    # the window before the last quote starts inside '63-year-old'
    assert roles[3] and re.search(r"\s" + re.escape(roles[3]), text)


def test_a_pronoun_goes_on_past_a_sentence_about_the_same_person() -> None:
    text = (
        "Lance Beebe, 52, came to the rally.\n\nHe liked what he heard, though he is still not sure whether he "
        'will vote for Hillary Clinton or Vermont Sen. Bernie Sanders.\n\n"I ask my wife, is she going to be ready '
        'to hear questions?" he said.'
    )
    assert [s for _, s in speakers(text, ("Lance Beebe", "Hillary Clinton", "Bernie Sanders"))] == ["Lance Beebe"]


def test_before_a_participle_the_clauses_subject_speaks() -> None:
    text = (
        "In response to the proposal, Hillary Clinton\u2019s right-hand woman rallied supporters, saying: "
        "\u201cWe have to be ready to stop him.\u201d\n"
        "Mary Lane arrived late. She addressed voters in an email to supporters, saying that "
        "\u201cwhat you\u2019re hearing from them is absolutely wrong.\u201d"
    )
    assert [s for _, s in speakers(text, ("Hillary Clinton", "Mary Lane"))] == [
        "Hillary Clinton\u2019s right-hand woman",
        "Mary Lane",
    ]


def test_a_pronoun_goes_to_the_sentences_subject_not_a_name_in_its_opening_phrase() -> None:
    text = (
        "Preceded at the lectern by Joe Arpaio, the Arizona sheriff, Donald Trump launched into a lament "
        'for the victims.\n\n"We will build a great wall along the southern border!" he said.'
    )
    assert [s for _, s in speakers(text, ("Joe Arpaio", "Donald Trump"))] == ["Donald Trump"]


def test_a_pronoun_opening_a_clause_after_the_names_is_its_subject() -> None:
    text = (
        "Last month, when I asked Bernie Sanders if he would ever endorse Hillary Clinton, he looked straight "
        'into my camera and said, "I\'m gonna endorse YOU!"\n'
        "While Donald Trump affirmed that he likes Ted Cruz, he also stated a day earlier, "
        "\u201cIf he catches on, I guess we\u2019ll have to go to war.\u201d"
    )
    people = ("Bernie Sanders", "Hillary Clinton", "Donald Trump", "Ted Cruz")
    assert [s for _, s in speakers(text, people)] == ["Bernie Sanders", "Donald Trump"]


def test_a_kinship_noun_before_a_name_marks_its_gender() -> None:
    text = (
        "Rachel Berg, a philanthropist from Monsey, said the speeches led her to count Trump out. Along with "
        "her husband, Milton Berg, a money manager, she has given to many candidates.\n\n"
        '"I feel bad to say it," she said.'
    )
    assert [s for _, s in speakers(text, ("Rachel Berg", "Milton Berg", "Trump"))] == ["Rachel Berg"]


def test_a_coordinated_verb_speaks_for_the_subject_opening_its_clause() -> None:
    text = (
        "Hillary Clinton defended the foundation on Wednesday.\n\nShe was defending the organization against "
        "recent attacks from Donald Trump, but admitted \u201cone or two instances\u201d where donations may have "
        "\u201cslipped through the cracks of the whole system.\u201d\n\n"
        "In an interview with journalist Matei Rosca, Marcel Lazar thought for a moment and added, "
        '"I\'ll plead guilty, no problem at all."'
    )
    people = ("Hillary Clinton", "Donald Trump", "Matei Rosca", "Marcel Lazar")
    assert [s for _, s in speakers(text, people)][-2:] == ["Hillary Clinton", "Marcel Lazar"]


def test_a_full_name_the_tagger_calls_a_person_once_is_a_person_everywhere_in_the_article() -> None:
    text = (
        "Ada Fisher joined the committee in 2012. Helen Ferre said the party was ready.\n"
        "And North Carolina's Ada Fisher said Trump will do well, too. "
        "\u201cI think Trump will do quite fine,\u201d she said."
    )
    parsed = article(text, ("Ada Fisher", "Helen Ferre", "Trump"))
    second = [m for m in parsed.entities if m.name == "Ada Fisher"][1]
    entities = tuple(replace(m, label="FAC") if m == second else m for m in parsed.entities)
    quotes = article_quotes(replace(parsed, entities=entities), {})
    assert [q.speaker for q in quotes] == ["Ada Fisher"]
