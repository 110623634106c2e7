"""Render stage: pure functions from the model to artifacts (Markdown, images, assets).

`render.site.render_all` makes every file of the docs tree. This package's own module is
empty on purpose: the MkDocs hook imports `render.html` on every build, and must not pull
in the whole generator with it."""
