"""Where a cue's speaker is written: the incise pronoun, the subject after the verb ("a plaidé le
ministre … Le Drian"), the parse's subject or passive agent, the noun phrase left of the verb, or
the next sentence ("«…» A poursuivi X."). What the span found stands for is `speakers.describe`'s
business.
"""

from __future__ import annotations

from typing import Any

from veille.quotes.coref import RELATIVE_NOUNS
from veille.quotes.cues import ANONYMOUS_WORDS, EUPHONIC_T, SUBJECT_STOPS, TIME_WORDS, incise_pronoun, table
from veille.quotes.speakers import (
    describe,
    is_stop,
    pronoun_speaker,
    subtree_span,
)
from veille.quotes.view import ArticleView, Speaker

# Verbs that continue a quotation from the next sentence ("Il a ajouté que …", "A poursuivi X").
SPEECH_LEMMAS = table(
    "ajouter poursuivre continuer conclure compléter préciser insister renchérir enchaîner"
    " expliquer souligner marteler résumer détailler"
)
# Participles whose agent asks and whose subject answers ("Interrogé par France Info, X a dit").
_ASKED_LEMMAS = table("interroger questionner solliciter contacter joindre interviewer")


def _skip_time_and_pps(view: ArticleView, i: int, end: int) -> int:
    """Skip what sits between an inverted cue verb and its subject: "mercredi", "à l'AFP"."""
    doc = view.doc
    # A person's name ends the prepositional phrase: "s'est réjoui sur Twitter Raphaël Glucksmann".
    people = view.person_starts()
    while i < end:
        word = doc[i].text.lower()
        dated = word == "le" and i + 1 < end and doc[i + 1].text[:1].isdigit()  # "a déclaré le 2 avril X"
        # "a annoncé ce jeudi 7 novembre l'Élysée": a demonstrative opening a date, not the subject.
        dated = dated or (word in {"ce", "cette"} and i + 1 < end and doc[i + 1].text.lower() in TIME_WORDS)
        if dated or word in TIME_WORDS or (doc[i].pos_ in {"ADV", "NUM"} and word not in {"ne", "pas"}):
            i += 1
        elif doc[i].pos_ == "ADP" and word not in {"par", "de", "du", "des", "d'", "d’"}:
            i += 1
            if i < end and doc[i].pos_ == "DET":
                i += 1
            first = i
            while i < end and doc[i].pos_ in {"NOUN", "PROPN", "ADJ"} and not is_stop(doc[i]):
                if i > first and doc[i].idx in people:
                    return i
                i += 1
        else:
            break
    return i


def inverted_subject(view: ArticleView, verb: Any) -> tuple[int, int] | None:
    """Token range of the subject written after `verb` ("a plaidé le ministre … Le Drian")."""
    doc, sent_end = view.doc, verb.sent.end
    i = verb.i + 1
    i = _skip_time_and_pps(view, i, sent_end)
    start = i
    while i < sent_end:
        token = doc[i]
        word = token.text.lower()
        title_end = _quoted_title_end(view, token) if i > start else None
        if title_end is not None:  # "révèle le «baromètre Covid-19», réalisé par Ipsos"
            i = title_end
            continue
        if is_stop(token) or word in SUBJECT_STOPS or (word in TIME_WORDS and i > start):
            break
        if (token.pos_ in {"VERB", "AUX"} and i > start) or word in {"qui", "dont", "que", "qu'", "mais"}:
            break
        if word in {"à", "au", "aux"} and (
            view.mentions_in(doc[start].idx, token.idx)
            or any(doc[k].text.lower() in RELATIVE_NOUNS for k in range(start, i))
        ):
            break  # "a dit Carter à l'AFP", "a témoigné son père au Dauphiné": the subject is complete
        i += 1
    if i == start or all(doc[k].pos_ in {"DET", "ADP"} for k in range(start, i)):
        return None
    return start, _apposed_name(view, start, i, sent_end)


_INDEFINITE = table("un une des")


def _quoted_title_end(view: ArticleView, token: Any) -> int | None:
    """The token after a short quoted title that `token` opens right after a determiner or a noun
    ("le «baromètre Covid-19»"): a name inside a subject, not the end of it."""
    doc = view.doc
    before = doc[token.i - 1] if token.i > 0 else None
    if before is None or before.pos_ not in {"DET", "NOUN", "ADP"} or before.text.lower() in _INDEFINITE:
        return None  # "a dénoncé une «parodie»": an object quoted, not a subject
    close = view.quote_end_at(token.idx)
    if close is None or close - token.idx > 60:
        return None
    return int(view.token_at(close - 1).i) + 1


def _apposed_name(view: ArticleView, start: int, i: int, sent_end: int) -> int:
    """A role followed by its holder's name in apposition ("a annoncé le Premier ministre,
    Édouard Philippe."): the subject runs to the end of the name, so that it resolves to the
    person named rather than to the last person of the same role."""
    doc = view.doc
    if i >= sent_end or doc[i].text != ",":
        return i
    if any(m.label == "PER" for m in view.mentions_in(doc[start].idx, doc[i].idx)):
        return i
    j = i + 1
    while j < sent_end and not is_stop(doc[j]) and doc[j].pos_ == "PROPN":
        j += 1
    if j == i + 1 or (j < sent_end and not is_stop(doc[j])):
        return i
    name_end = doc[j - 1].idx + len(doc[j - 1].text)
    if any(m.label == "PER" for m in view.mentions_in(doc[i + 1].idx, name_end)):
        return j
    return i


def subject_before(view: ArticleView, verb: Any) -> tuple[int, int] | None:
    """Token range of the subject of `verb` from the parse: nsubj, or the agent of a passive."""
    head = verb
    # "a déclaré", "s'est exclamé": subjects hang on the participle; "ajoutant" hangs on the verb.
    for _ in range(3):
        subjects = [c for c in head.children if c.dep_ in {"nsubj", "expl:subj"}]
        agents = [c for c in head.children if c.dep_ == "obl:agent"]
        if head.lemma_.lower() in _ASKED_LEMMAS:
            agents = []  # the agent asked the question; the subject of the clause answers
        if agents:
            return subtree_span(agents[0], skip_case=True)
        if subjects and subjects[0].text.lower() == "qui" and head.dep_ == "acl:relcl":
            # "L'animateur, qui a affirmé que …": the relative pronoun stands for its antecedent.
            return subtree_span(head.head)
        if subjects and subjects[0].text.lower() not in {"-t", "t", "ce", "c'", "c’", "cela", "ça"}:
            found = subtree_span(subjects[0])
            return None if _in_subordinate(verb.doc, found, verb.i) else found
        if head.dep_ in {"conj", "advcl", "xcomp"} and head.head is not head:
            head = head.head
            continue
        break
    return None


_SUBORDINATORS = table("que qu' qu’ si quand lorsque lorsqu' lorsqu’ puisque comme tandis")


def _in_subordinate(doc: Any, span: tuple[int, int], verb: int) -> bool:
    """A subject the parser took from a subordinate clause before the main one ("Alors que le
    gouvernement planche …, le secrétaire général a déploré"): a comma separates it from the verb
    and a subordinator opens it."""
    start, end = span
    if end >= verb or not any(doc[k].text == "," for k in range(end, verb)):
        return False
    return start > 0 and doc[start - 1].text.lower() in _SUBORDINATORS


_LEFT_SKIP = table("a ont avait avaient aurait est sont était se s' s’ l' l’ ne n' n’ pas de nouveau")


def subject_left(view: ArticleView, verb: Any) -> tuple[int, int] | None:
    """The noun phrase right before a cue verb when the parse gives no subject ("Paris et
    Washington ont de nouveau appelé"): back to the previous punctuation or the sentence start."""
    # Not bounded by `verb.sent`: the parser sometimes cuts "Paris et Washington | ont appelé".
    doc, first = view.doc, 0
    i = verb.i - 1
    while i >= first and (doc[i].text.lower() in _LEFT_SKIP or doc[i].pos_ == "ADV"):
        i -= 1
    end = i + 1
    while i >= first and not is_stop(doc[i]) and doc[i].pos_ not in {"VERB", "SCONJ"}:
        if doc[i].text.lower() in {"qui", "que", "qu'", "dont"}:
            return None
        i -= 1
    start = i + 1
    # Keep the noun phrase, not a leading prepositional phrase ("Dans cette perspective Paris …").
    if start < end and doc[start].pos_ == "ADP":
        return None
    if start >= end or not any(doc[k].pos_ in {"NOUN", "PROPN", "PRON"} for k in range(start, end)):
        return None
    return start, end


def _source_after(view: ArticleView, i: int) -> Speaker | None:
    doc, end = view.doc, view.doc[i - 1].sent.end
    stop = i
    while stop < end and not is_stop(doc[stop]):
        stop += 1
    if stop == i or not any(doc[k].text.lower() in ANONYMOUS_WORDS for k in range(i, stop)):
        return None
    start, finish = doc[i].idx, doc[stop - 1].idx + len(doc[stop - 1].text)
    text = view.text[start:finish]
    return Speaker(text, start, finish, kind="anonymous", name=text)


def speaker_for_verb(view: ArticleView, verb: Any, *, inverted_first: bool) -> Speaker | None:
    """The speaker of a cue verb: an incise pronoun, the inverted subject, or the parse's subject."""
    doc = view.doc
    # "a-t-il ajouté": the pronoun sits between the auxiliary and the participle.
    for token in doc[max(0, verb.i - 2) : verb.i]:
        pronoun = incise_pronoun(token.text)
        if pronoun is not None and doc[token.i - 1].text.lower() in EUPHONIC_T | {"a", "ont", "avait"}:
            # "a-t-on appris de sources concordantes": the sources named after the verb speak.
            source = _source_after(view, verb.i + 1) if pronoun == "on" else None
            return source or pronoun_speaker(view, pronoun, token.idx, token.idx + len(token.text))
    following = doc[verb.i + 1 : min(verb.i + 3, len(doc))]
    for token in following:
        if token.text.lower() in EUPHONIC_T:
            continue
        pronoun = incise_pronoun(token.text)
        if pronoun is not None:
            speaker = pronoun_speaker(view, pronoun, token.idx, token.idx + len(token.text))
            if pronoun == "on":  # "confie-t-on dans l'entourage du ministre": that is the source
                source = _source_after(view, token.i + 1)
                if source is not None:
                    return source
            return speaker
        break
    order = [subject_before, subject_left]
    if inverted_first or _incise_position(view, verb):
        order.insert(0, inverted_subject)
    for find in order:
        found = find(view, verb)
        if found is not None:
            speaker = describe(view, *found)
            if speaker.kind is not None:
                return speaker
    # Last resort: the nearest name before the verb in its sentence, outside quotations.
    sent = verb.sent
    near = [m for m in view.mentions_in(sent.start_char, verb.idx) if m.label in {"PER", "ORG"}]
    near = [m for m in near if not view.in_quote(m.start)]
    if near:
        mention = near[-1]
        return describe(view, view.token_at(mention.start).i, view.token_at(mention.end - 1).i + 1)
    return None


def _incise_position(view: ArticleView, verb: Any) -> bool:
    """ "« … », a dit X" and "…, a détaillé la RATP.": a cue verb right after a quotation, or after a
    comma with a subject after it that closes the sentence, opens an incise, whose subject follows
    it whatever the parse says ("X, député du Lot, a salué son engagement" is no incise)."""
    doc, i = view.doc, verb.i - 1
    while i >= 0 and doc[i].text.lower() in _LEFT_SKIP:
        i -= 1
    if i < 0 or doc[i].text not in {",", "»", "”", '"'}:
        return False
    if doc[i].text != "," or (i > 0 and doc[i - 1].text in {"»", "”", '"'}):
        return True
    found = inverted_subject(view, verb)
    return found is not None and (found[1] >= verb.sent.end or doc[found[1]].text in {".", "!", "?"})


def speaker_in_next_sentence(view: ArticleView, close: int) -> tuple[Speaker, Any] | None:
    """A quote with no cue of its own, closing its sentence or paragraph, whose next sentence opens
    on a speech verb naming a source ("« … » Le ministre a ajouté que …", "« … » A poursuivi X."):
    that source and its verb. `close` is the index of the closing quotation mark."""
    doc = view.doc
    sent = view.token_at(close).sent
    if sent.end >= len(doc):
        return None
    following = doc[sent.end].sent
    tokens = [t for t in following if not t.is_space]
    for token in tokens[:8]:
        if token.pos_ != "VERB" or token.lemma_.lower() not in SPEECH_LEMMAS:
            continue
        if token.i - following.start > 0 and any(is_stop(t) for t in doc[following.start : token.i]):
            break  # the verb must belong to the sentence's first clause
        speaker = speaker_for_verb(view, token, inverted_first=True)
        if speaker is not None and speaker.kind is not None:
            return speaker, token
        break
    return None
