"""The staff form editor (Decap CMS) at /admin/ of the internal site: its configuration, generated from the
JSON Schemas, and the folder that the internal site build includes."""
