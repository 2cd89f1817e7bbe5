-- The second database of docker-compose.yml's PostgreSQL: the DuckLake catalog of the shared warehouse
-- (the first, `dagster`, holds Dagster's instance and is created by the image from POSTGRES_DB).
CREATE DATABASE warehouse;
