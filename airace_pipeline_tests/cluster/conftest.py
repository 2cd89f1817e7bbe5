"""The session's throwaway PostgreSQL cluster, for the tests of this folder."""

from airace_pipeline_tests.cluster.fixtures import postgres_cluster  # noqa: F401 (a fixture)
