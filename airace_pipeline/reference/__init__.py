"""Reference data: countries, the organisation gazetteer and known policies/programmes."""
