"""The one road from sources to pages, shared by `sitegen build` and the preview."""
