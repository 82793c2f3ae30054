"""Running the heavy stages over partitioned Parquet datasets, here or on a Dask cluster.

:mod:`.engine` runs partition tasks; :mod:`.exchange` gives a corpus-backed command its dataset;
:mod:`.generate` writes an invented corpus of any size for tests and benchmarks.  The tasks
themselves live with their stage: :mod:`bibmine.regions.partitions`,
:mod:`bibmine.rubrics.partitions`, :mod:`bibmine.specialization.partitions`.
"""
