"""Forms of the library, one module per part (`library`, `requests`, `packs`)."""
