"""Polite, resumable crawlers: OpenAlex, Crossref, eLIBRARY, Rospatent, FIPS registers, Lens.

Every crawler fetches through :class:`bibmine.sources.http.PoliteClient` and is driven
by :func:`bibmine.sources.crawl.engine.run_crawl`, which stores each page of records
and the job's next cursor in one transaction of the corpus database.
"""
