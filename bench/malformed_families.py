"""The families of malformed input that `bench/malformed_inputs.py` generates (issue 11).

Each family is a function `(rng) -> Sample`: one file's name, bytes and what veille may do with it.
Everything is drawn from a `random.Random` seeded per file, so `generate(out, n, seed)` writes the
same files every time and any single file can be rebuilt from its index. The CI test
(tests/ingest/test_malformed_inputs.py) draws a small sample of every family from here; the script
writes thousands and adds the deliberate giants, which stream to disk instead of being held in
memory.

`Sample.allowed` is the set of outcomes every record of the file may end in (a reason code from
`veille.errors.REASONS`, or "kept", "duplicate", "skipped", "noted" — a file that yields no record
but a warning, like a feed with no entries); None means any accounted outcome. `Sample.must` is a
set of outcomes at least one record must reach (the damage must be reported, not glossed over).
"""

from __future__ import annotations

import gzip
import json
import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

INGESTED = frozenset({"kept", "duplicate"})
FORMATS = (".txt", ".html", ".jsonl", ".warc", ".rss", ".atom", ".xml")
GZ_FORMATS = (".txt.gz", ".html.gz", ".jsonl.gz", ".warc.gz")

FRENCH = (
    "Le ministre des Affaires étrangères a reçu mercredi à Paris son homologue allemand.",
    "« Nous devons agir vite », a déclaré la porte-parole du gouvernement jeudi soir.",
    "Selon l'AFP, les négociations reprendront le 12 mars 2016 à Genève.",
    "La grève à la SNCF a perturbé le trafic pendant trois jours, a indiqué la direction.",
    "Ashton Carter, secrétaire américain à la Défense, s'est rendu lundi à Bagdad.",
    "Les députés ont adopté le budget en première lecture après un long débat.",
    "L'organisation État islamique a revendiqué l'attaque, selon un communiqué.",
    "Il y a deux semaines, la mairie avait annoncé la fermeture du pont pour travaux.",
)
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u061c"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
CONTROLS = "\x01\x07\x08\x0b\x0c\x1b\x7f\x85\u2028\u2029\r"


@dataclass(slots=True)
class Sample:
    """One generated file: `name` relative to the output folder (bytes for names that are not UTF-8)."""

    name: str | bytes
    data: bytes | Callable[[Path], None]  # bytes, or a writer that streams a giant to the path
    allowed: frozenset[str] | None = None
    must: frozenset[str] | None = None
    sidecar: bytes | None = None  # written beside the file as NAME.meta.json
    notes: dict[str, str] = field(default_factory=dict)


def french(rng: random.Random, sentences: int) -> str:
    return " ".join(rng.choice(FRENCH) for _ in range(sentences))


def page(rng: random.Random, paragraphs: int = 3) -> str:
    """A plausible scraped page: a title line and paragraphs, the shape `.txt` pages have."""
    title = rng.choice(["Grève à la SNCF", "Réunion à Paris", "Le budget adopté", "Attaque revendiquée"])
    body = "\n\n".join(french(rng, rng.randint(2, 5)) for _ in range(paragraphs))
    return f"{title} {rng.randint(1, 10**6)}\n\n{body}\n"


def html_page(body: str, title: str = "Titre", charset: str = "utf-8") -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}</title></head>'
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    )


def rss(items: str, encoding: str = "utf-8") -> str:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n<rss version="2.0"><channel><title>Flux</title>'
        f"<link>https://example.org/</link>{items}</channel></rss>"
    )


def item(title: str, text: str, guid: str) -> str:
    return f"<item><title>{title}</title><guid>{guid}</guid><description>{text}</description></item>"


def warc_record(rng: random.Random, body: bytes, *, content_length: str | None = None) -> bytes:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body
    length = content_length if content_length is not None else str(len(http))
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\n"
        f"WARC-Record-ID: <urn:uuid:{rng.getrandbits(128):032x}>\r\n"
        f"WARC-Target-URI: https://example.org/{rng.randint(1, 10**6)}\r\n"
        "WARC-Date: 2016-01-20T10:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {length}\r\n\r\n"
    ).encode()
    return head + http + b"\r\n\r\n"


def gz(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def valid_payload(rng: random.Random) -> tuple[str, bytes]:
    """A well-formed file of a random format: (extension without .gz, bytes)."""
    kind = rng.choice((".txt", ".html", ".jsonl", ".warc"))
    text = page(rng)
    if kind == ".txt":
        return kind, text.encode()
    if kind == ".html":
        return kind, html_page("".join(f"<p>{p}</p>" for p in text.split("\n\n"))).encode()
    if kind == ".jsonl":
        lines = [
            json.dumps({"id": i, "title": "T", "article": french(rng, 4)}) for i in range(rng.randint(1, 5))
        ]
        return kind, ("\n".join(lines) + "\n").encode()
    return kind, b"".join(warc_record(rng, html_page(f"<p>{text}</p>").encode()) for _ in range(2))


# --- the families ---------------------------------------------------------------------------------


def random_bytes(rng: random.Random) -> Sample:
    size = int(2 ** rng.uniform(0, 16))
    ext = rng.choice(FORMATS + GZ_FORMATS)
    data = rng.randbytes(size)
    if ext == ".xml" and rng.random() < 0.5:
        data = b"<rss>" + data  # past the sniff, into the feed parser
    return Sample(f"random{ext}", data)


def truncated_gzip(rng: random.Random) -> Sample:
    ext, payload = valid_payload(rng)
    packed = gz(payload)
    how = rng.choice(("cut", "flip", "not_gzip", "cut_header"))
    if how == "cut":
        data = packed[: rng.randint(11, len(packed) - 1)]
    elif how == "cut_header":
        data = packed[: rng.randint(1, 9)]
    elif how == "flip":
        at = rng.randint(10, len(packed) - 1)
        data = packed[:at] + bytes([packed[at] ^ (1 << rng.randint(0, 7))]) + packed[at + 1 :]
    else:
        data = payload  # plain bytes named .gz
    # A line-by-line reader keeps the lines before the damage; a whole-page reader loses the page.
    whole_page = ext in (".txt", ".html")
    allowed = frozenset({"truncated_gzip"}) if whole_page else None
    # warcio reads plain WARC records whatever the file's name, so a .warc.gz may need no gzip.
    must = None if how == "not_gzip" and ext == ".warc" else frozenset({"truncated_gzip", "malformed_warc"})
    return Sample(f"{how}{ext}.gz", data, allowed=allowed, must=must)


INVALID_UTF8 = (b"\xff", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\xc0\xaf", b"\xf8\x88\x80\x80\x80", b"\x80")


def _inject(rng: random.Random, text: bytes, pieces: int) -> bytes:
    out = bytearray(text)
    for _ in range(pieces):
        at = rng.randint(0, len(out))
        out[at:at] = rng.choice(INVALID_UTF8)
    return bytes(out)


def invalid_utf8(rng: random.Random) -> Sample:
    how = rng.choice(("txt", "jsonl", "html", "html_lies", "bom8", "bom16", "feed"))
    text = page(rng).encode()
    if how == "txt":
        return Sample("bytes.txt", _inject(rng, text, rng.randint(1, 20)))
    if how == "jsonl":
        line = json.dumps({"id": 1, "article": french(rng, 3)}, ensure_ascii=False).encode()
        return Sample("bytes.jsonl", _inject(rng, line, 5) + b"\n")
    if how in ("html", "html_lies"):
        charset = "utf-8" if how == "html" else rng.choice(("utf-16", "shift_jis", "x-bogus", "utf-32"))
        body = html_page(f"<p>{french(rng, 6)}</p>", charset=charset).encode()
        return Sample(f"{how}.html", _inject(rng, body, 8))
    if how == "bom8":
        # A UTF-8 byte-order mark is a declaration; bytes that break it are bad_encoding.
        return Sample(
            "bom8.txt", b"\xef\xbb\xbf" + _inject(rng, text, 3), allowed=frozenset({"bad_encoding"})
        )
    if how == "bom16":
        odd = "\ufeff".encode("utf-16-le") + text[: len(text) - 1 + len(text) % 2]  # odd: not UTF-16
        return Sample("bom16.txt", odd, allowed=frozenset({"bad_encoding"}))
    items = item("Titre", french(rng, 3), "g1").encode()
    return Sample(
        "bytes.rss", _inject(rng, rss("").encode().replace(b"</channel>", items + b"</channel>"), 6)
    )


def html_bomb(rng: random.Random) -> Sample:
    how = rng.choice(("nesting", "siblings", "unclosed", "attribute", "comment", "entities", "tables", "xml"))
    depth = rng.randint(1_000, 40_000)
    if how == "nesting":
        tag = rng.choice(("div", "span", "b", "p", "li", "blockquote"))
        body = f"<{tag}>" * depth + french(rng, 2) + f"</{tag}>" * rng.choice((0, depth))
    elif how == "siblings":
        body = "<p>a</p>" * depth * 2
    elif how == "unclosed":
        body = "".join(
            rng.choice(("<p>", "<div>", "<table><tr><td>", "<a href=x>", "<ul><li>")) for _ in range(depth)
        )
    elif how == "attribute":
        body = f'<p title="{"x" * depth * 20}">{french(rng, 3)}</p><img src="{"/" * depth}'
    elif how == "comment":
        body = f"<p>{french(rng, 2)}</p><!--" + "<p>rien</p>" * depth  # never closed
    elif how == "entities":
        body = "<p>" + "&amp;&#0;&#xD800;&#1114112;&bogus;" * (depth // 5) + "</p>"
    elif how == "tables":
        body = "<table><tr><td>" * (depth // 10) + french(rng, 2)
    else:
        # An XML billion-laughs page in an .html file, and the same as a feed.
        laughs = _billion_laughs()
        if rng.random() < 0.5:
            return Sample("laughs.rss", laughs)
        return Sample("laughs.html", laughs)
    return Sample(f"{how}.html", html_page(body).encode())


def _billion_laughs() -> bytes:
    entities = ['<!ENTITY l0 "ha">'] + [f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)]
    doctype = "<!DOCTYPE rss [" + "".join(entities) + "]>"
    return (
        f'<?xml version="1.0"?>{doctype}<rss version="2.0"><channel><title>&l9;</title>'
        "<item><title>&l9;</title><description>&l9;</description></item></channel></rss>"
    ).encode()


def long_lines(rng: random.Random) -> Sample:
    size = int(2 ** rng.uniform(12, 19))  # 4 kB to 512 kB on one line
    how = rng.choice(("words", "nospace", "jsonl", "html"))
    if how == "words":
        return Sample("line.txt", (french(rng, size // 80) + "\n").encode())
    if how == "nospace":
        # Up to 512 kB without a space: spaCy's tokenizer was quadratic on such a run (32 kB of
        # "«": 305 s) until load_model guarded it (veille.nlp.spacy_stage.LongTokenGuard).
        return Sample("nospace.txt", (rng.choice("ab.é«»") * size).encode())
    if how == "jsonl":
        return Sample(
            "line.jsonl", json.dumps({"id": 1, "article": french(rng, size // 80)}).encode() + b"\n"
        )
    return Sample("line.html", html_page("<p>" + french(rng, size // 80) + "</p>").encode())


def _sprinkle(rng: random.Random, text: str, chars: str, share: float) -> str:
    return "".join(ch + (rng.choice(chars) if rng.random() < share else "") for ch in text)


def zero_width(rng: random.Random) -> Sample:
    chars = rng.choice((ZERO_WIDTH, BIDI, CONTROLS, ZERO_WIDTH + BIDI + CONTROLS))
    how = rng.choice(("txt", "jsonl", "html", "rss", "only", "only_jsonl"))
    if how == "only":
        invisible = "".join(rng.choice(ZERO_WIDTH + BIDI) for _ in range(rng.randint(1, 500)))
        return Sample("invisible.txt", invisible.encode(), allowed=frozenset({"empty"}))
    if how == "only_jsonl":
        invisible = "".join(rng.choice(ZERO_WIDTH + BIDI) for _ in range(rng.randint(1, 50)))
        line = json.dumps({"id": 1, "title": "Titre", "article": invisible}) + "\n"
        return Sample("invisible.jsonl", line.encode(), allowed=frozenset({"empty"}))
    text = _sprinkle(rng, page(rng), chars, rng.uniform(0.01, 0.5))
    if how == "txt":
        return Sample("sprinkled.txt", text.encode())
    if how == "jsonl":
        return Sample("sprinkled.jsonl", (json.dumps({"id": 1, "article": text}) + "\n").encode())
    if how == "html":
        return Sample("sprinkled.html", html_page(f"<p>{text}</p>").encode())
    return Sample("sprinkled.rss", rss(item("Titre", text.replace("&", ""), "z1")).encode())


WRONG_TYPES: tuple[tuple[str, frozenset[str] | None], ...] = (
    ("[]", frozenset({"bad_record"})),
    ("[1, 2, 3]", frozenset({"bad_record"})),
    ("42", frozenset({"bad_record"})),
    ('"un article"', frozenset({"bad_record"})),
    ("null", frozenset({"bad_record"})),
    ("true", frozenset({"bad_record"})),
    ('{"article": ["un", "deux"]}', frozenset({"bad_record"})),
    ('{"article": {"text": "x"}}', frozenset({"bad_record"})),
    ('{"article": true}', frozenset({"bad_record"})),
    ('{"article": "Texte.", "title": {"fr": "x"}}', frozenset({"bad_record"})),
    ('{"article": "Texte.", "id": [1]}', frozenset({"bad_record"})),
    ('{"article": "Texte.", "url": false}', frozenset({"bad_record"})),
    ('{"article": 12}', None),
    ('{"article": 1e999}', None),
    ('{"article": NaN, "id": Infinity}', None),
    ('{"article": "Texte.", "date": 20160120}', None),
    ('{"article": "Texte.", "date": "32/13/2016"}', None),
    ('{"article": "Texte.", "date": "2016-02-30"}', None),
    ('{"article": "Texte \\ud800 seul.", "title": "\\udfff"}', None),
    ('{"article": "\\u0000\\u0001\\u001b"}', None),
    ('{"article": "Il viendra demain, pas hier.", "date": "9999-12-31"}', None),
    ('{"article": "Il est venu hier, il reviendra demain.", "date": "0001-01-01"}', None),
    ('{"id": 1e308, "article": "Texte."}', None),
    ('{"id": "", "article": ""}', frozenset({"empty"})),
    ("{}", frozenset({"empty"})),
    ('{"article": "a", "article": [1]}', frozenset({"bad_record"})),
    ('{"article": "Texte."} trailing', frozenset({"malformed_json"})),
    ('{"article": "Texte.",}', frozenset({"malformed_json"})),
    ("{'article': 'Texte.'}", frozenset({"malformed_json"})),
    ('{"article": "Texte.\n', frozenset({"malformed_json"})),
)


def json_wrong_types(rng: random.Random) -> Sample:
    how = rng.random()
    if how < 0.6:
        index = rng.randrange(len(WRONG_TYPES))
        line, allowed = WRONG_TYPES[index]
        return Sample(f"wrong{index:02d}.jsonl", line.encode() + b"\n", allowed=allowed)
    if how < 0.75:
        depth = rng.randint(1_000, 200_000)
        opener, closer = rng.choice((("[", "]"), ('{"a":', "}")))
        line = '{"article": ' + opener * depth + "1" + closer * depth + "}"
        return Sample(
            "deep.jsonl", line.encode() + b"\n", allowed=frozenset({"malformed_json", "bad_record"})
        )
    lines = [rng.choice(WRONG_TYPES)[0] for _ in range(rng.randint(2, 30))]
    lines.insert(rng.randint(0, len(lines)), json.dumps({"id": "ok", "article": french(rng, 3)}))
    return Sample("mixed.jsonl", ("\n".join(lines) + "\n").encode())


def broken_warc(rng: random.Random) -> Sample:
    body = html_page(f"<p>{french(rng, 6)}</p>").encode()
    good = warc_record(rng, body)
    how = rng.choice(
        ("length_big", "length_small", "length_text", "headers_cut", "garbage", "chunked", "cut", "gz")
    )
    if how == "length_big":
        data = warc_record(rng, body, content_length=str(len(body) * 10))
    elif how == "length_small":
        data = warc_record(rng, body, content_length=str(rng.randint(0, 50))) + good
    elif how == "length_text":
        data = warc_record(rng, body, content_length=rng.choice(("-5", "abc", "1e9", "")))
    elif how == "headers_cut":
        data = good[: rng.randint(5, 120)]
    elif how == "garbage":
        data = good + rng.randbytes(rng.randint(1, 2000))
    elif how == "chunked":
        http = (
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n" + body
        )
        data = good.replace(good[good.index(b"HTTP/1.1") :], http)
    elif how == "cut":
        data = (good + good)[: rng.randint(1, 2 * len(good) - 1)]
    else:
        packed = gz(good) + gz(good)
        return Sample("cut.warc.gz", packed[: rng.randint(1, len(packed) - 1)])
    return Sample(f"{how}.warc", data)


def broken_feed(rng: random.Random) -> Sample:
    text = french(rng, 3)
    how = rng.choice(("unclosed", "nested", "dates", "many", "cdata", "sitemap", "late_root", "xxe", "atom"))
    if how == "unclosed":
        data = rss(item("Titre", text, "u1"))[: -rng.randint(1, 60)]
        return Sample("unclosed.rss", data.encode())
    if how == "nested":
        return Sample(
            "nested.rss", rss(f"<item><title><b><i>{text}</i></b></title><guid><x/></guid></item>").encode()
        )
    if how == "dates":
        date = rng.choice(
            ("32/13/2016", "yesterday", "Thu, 99 Jul 2020 99:00:00 +9999", "0000-00-00", "9" * 40)
        )
        items = f"<item><title>T</title><pubDate>{date}</pubDate><description>{text}</description></item>"
        return Sample("dates.rss", rss(items).encode())
    if how == "many":
        items = "".join(
            item(f"T{i}", french(rng, 1), rng.choice(("same", f"g{i}"))) for i in range(rng.randint(50, 400))
        )
        return Sample("many.rss", rss(items).encode())
    if how == "cdata":
        return Sample("cdata.rss", rss(f"<item><description><![CDATA[<p>{text}</p><script>x()").encode())
    if how == "sitemap":
        data = '<?xml version="1.0"?><urlset><url><loc>https://example.org/</loc></url></urlset>'
        return Sample("sitemap.xml", data.encode(), allowed=frozenset({"skipped"}))
    if how == "late_root":
        data = "<?xml version='1.0'?>" + "<!-- padding -->" * 400 + rss(item("T", text, "l1"))
        return Sample("late.xml", data.encode(), allowed=frozenset({"skipped"}))
    if how == "xxe":
        doctype = '<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
        data = f'<?xml version="1.0"?>{doctype}<rss version="2.0"><channel><title>&x;</title>'
        data += f"<item><title>&x;</title><description>{text} &x;</description></item></channel></rss>"
        return Sample("xxe.rss", data.encode())
    entry = f"<entry><title type='xhtml'><div>{text}</div></title><content type='html'>&lt;p&gt;{text}"
    return Sample("broken.atom", f"<feed xmlns='http://www.w3.org/2005/Atom'>{entry}".encode())


def empty_files(rng: random.Random) -> Sample:
    how = rng.choice(("zero", "spaces", "bom", "newlines", "gz"))
    ext = rng.choice((".txt", ".html", ".jsonl", ".warc", ".rss"))
    data = {
        "zero": b"",
        "spaces": b" \t\r\n" * rng.randint(1, 50),
        "bom": b"\xef\xbb\xbf",
        "newlines": b"\n" * 9,
    }
    if how == "gz":
        ext = rng.choice((".txt", ".html", ".jsonl"))
        return Sample(f"empty{ext}.gz", gz(b""), allowed=frozenset({"empty"}))
    content = data[how]
    if ext == ".warc" and how != "zero":
        return Sample(f"{how}{ext}", content)  # whitespace is not a WARC header: damage, not "empty"
    if ext == ".rss" and how != "zero":
        return Sample(f"{how}{ext}", content, allowed=frozenset({"empty", "parse_error"}))
    return Sample(f"{how}{ext}", content, allowed=frozenset({"empty"}))


def bad_sidecar(rng: random.Random) -> Sample:
    sidecar = rng.choice(
        (
            b"[1, 2]",
            b'{"published": 2016}',
            b'{"published": "hier"}',
            b'{"url": {"a": 1}, "source": ""}',
            b"{not json",
            b"\xff\xfe\x00",
            b'{"unknown": "x", "published": "2016-01-20"}',
            b'{"published": "' + b"9" * 5000 + b'"}',
        )
    )
    return Sample("page.txt", page(rng).encode(), sidecar=sidecar, allowed=INGESTED | {"no_content"})


def odd_names(rng: random.Random) -> Sample:
    stem = rng.choice(
        (
            b"caf\xe9-latin1",  # not UTF-8: Python hands it over with surrogate escapes
            b"\xff\xfe-bytes",
            "ligne\nbrisée".encode(),
            "\u202eexe.cod".encode(),  # right-to-left override
            "zéro\u200blargeur".encode(),
            b"-tiret",
            b" espace ",
            b"x" * 200,
        )
    )
    ext = rng.choice((b".txt", b".jsonl", b".html"))
    text = page(rng)
    if ext == b".jsonl":
        data = json.dumps({"id": 1, "article": text}).encode() + b"\n"
    elif ext == b".html":
        data = html_page(f"<p>{text}</p>").encode()
    else:
        data = text.encode()
    return Sample(stem + ext, data)


FAMILIES: dict[str, Callable[[random.Random], Sample]] = {
    "random_bytes": random_bytes,
    "truncated_gzip": truncated_gzip,
    "invalid_utf8": invalid_utf8,
    "html_bomb": html_bomb,
    "long_lines": long_lines,
    "zero_width_bidi": zero_width,
    "json_wrong_types": json_wrong_types,
    "broken_warc": broken_warc,
    "broken_feed": broken_feed,
    "empty": empty_files,
    "bad_sidecar": bad_sidecar,
    "odd_names": odd_names,
}


def sample(family: str, seed: int, index: int) -> Sample:
    """File `index` of `family`: the same bytes for the same (seed, index), whatever else is drawn."""
    return FAMILIES[family](random.Random(f"{seed}:{family}:{index}"))


def write_sample(folder: Path, stem: str | bytes, item_: Sample) -> Path:
    """Write `item_` under `folder` with `stem` (an index prefix) before its name; returns the path."""
    raw_name = item_.name if isinstance(item_.name, bytes) else item_.name.encode()
    raw_stem = stem if isinstance(stem, bytes) else stem.encode()
    path = folder / os.fsdecode(raw_stem + raw_name)
    if callable(item_.data):
        item_.data(path)
    else:
        path.write_bytes(item_.data)
    if item_.sidecar is not None:
        name = path.name
        for ext in (".txt", ".jsonl", ".html"):
            if name.endswith(ext):
                path.with_name(name[: -len(ext)] + ".meta.json").write_bytes(item_.sidecar)
    return path


__all__ = ["FAMILIES", "Sample", "sample", "write_sample"]
