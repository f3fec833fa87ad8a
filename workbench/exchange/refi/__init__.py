"""REFI-QDA (QDA-XML) exchange: codebooks (.qdc) and projects (.qdpx), out and in.

REFI-QDA is the exchange standard of ATLAS.ti, NVivo, MAXQDA, QualCoder and others.
A ``.qdc`` is one XML codebook (``urn:QDA-XML:codebook:1.0``); a ``.qdpx`` is a zip
holding ``project.qde`` (``urn:QDA-XML:project:1.0``) and a sources folder.

Export (``export_qdc``, ``export_qdpx``): the codebook becomes folder codes for
categories, themes and flags, each code carrying a ``workbench:`` marker, so an
import maps them back exactly; each transcript becomes a text source with one
selection per comment, each coder a user whose codings are theirs, the agreed coding
the user ``agreed``. Import (``import_qdpx``, ``qdc_to_toml``): codes become a
codebook (by their markers, else top level = category, nested = theme), text and
PDF sources become focus groups parsed into comments, and each coded selection codes
the comment it covers by the overlap rule; ambiguous ones are reported, not guessed.

Modules, one job each:

* :mod:`.qdaxml`: namespaces, GUIDs, the marker, element helpers, :class:`RefiError`;
* :mod:`.codes`: the codebook as REFI codes and sets (both exports);
* :mod:`.export`: ``project.qde``, the .qdc and .qdpx files;
* :mod:`.validate`: the XSDs (lxml, imported only when validating) and the spec's other rules;
* :mod:`.archive`: the .qdpx zip and the files its sources name;
* :mod:`.codebook`: REFI codes → a codebook plan and its TOML;
* :mod:`.sources`: a project.qde read into records (users, codes, sources, selections, notes,
  cases, what is not imported);
* :mod:`.importer`: ``import_qdpx``, the import's steps in order; :mod:`.report` its report;
* :mod:`.transcripts`: sources → focus groups, parsed once, with each comment's span;
* :mod:`.units`: what a source's selection positions count (code points or UTF-16 units);
* :mod:`.mapping`: selections → comments by offsets (the overlap rule);
* :mod:`.resolve`: users → coders (not the program's own user), codes → codings;
* :mod:`.writing`: the codings written, audited.

This package re-exports what the CLI uses.
"""

from workbench.exchange.refi.codebook import qdc_to_toml
from workbench.exchange.refi.export import export_qdc, export_qdpx
from workbench.exchange.refi.importer import import_qdpx

__all__ = ["export_qdc", "export_qdpx", "import_qdpx", "qdc_to_toml"]
