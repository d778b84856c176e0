"""The public announcement site: registry → Markdown and data files → MkDocs Material.

One job per module: ``labels`` (display text, from YAML), ``context`` (what may be published, as of
today), ``people`` (the privacy gate for persons), ``draws`` (published draws and their data for the
in-browser verifier), ``pages`` / ``notices`` / ``stats`` / ``regulations`` / ``opendata`` (page
generators), ``charts`` (SVG), ``config`` (the MkDocs config derived from ``mkdocs.yml``), ``build``
(generate, then run MkDocs).
"""
