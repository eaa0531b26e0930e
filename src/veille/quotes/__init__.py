"""Quotes: who said what, French typography first.

`find_quotations` (marks.py) finds quotation spans in a string; the cue lexicon (cues.py) and the
speaker rules (speakers.py, finder.py) decide which spans are quotes and whose; `find_quotes` and
`QuotesStage` (stage.py) turn an analysed Article into `Quote` objects. Importing this package
registers the `veille_quotes` spaCy component.
"""

from veille.quotes.marks import QuotationSpan, find_quotations
from veille.quotes.stage import QuotesStage, find_in_doc, find_quotes, quote_id

__all__ = ["QuotationSpan", "QuotesStage", "find_in_doc", "find_quotations", "find_quotes", "quote_id"]
