"""The edges: MkDocs, the command line, WeasyPrint, git, importing sources."""
