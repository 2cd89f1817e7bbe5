"""Throwaway clusters on one machine (PostgreSQL, the distributed extraction engine) for `make run-scaled`
and the tests: started on 127.0.0.1, stopped by whoever started them."""
