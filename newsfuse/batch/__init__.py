"""Batch runs on Dask: the same stages as ``run``, partitioned across workers."""
