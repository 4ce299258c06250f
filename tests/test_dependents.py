"""generator.build.dependents: the records' keys turned around, kept in step by identity."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from generator.build.dependents import Dependents
from generator.build.outputs import Record

KEYS = [("a", "x"), ("a", "y"), ("t", "region", "cq"), ("A",), ("s", "x")]
record_sets = st.dictionaries(st.sampled_from([f"p{n}.html" for n in range(8)]),
                              st.lists(st.sampled_from(KEYS), unique=True).map(lambda keys: Record("", "", tuple(keys))),
                              max_size=8)


def _brute_force(records, keys) -> set[str]:
    return {path for path, record in records.items() if not set(keys).isdisjoint(record.keys)}


@settings(max_examples=200, deadline=None)
@given(st.lists(record_sets, min_size=1, max_size=5), st.lists(st.booleans(), min_size=5, max_size=5))
def test_readers_are_the_pages_that_read_a_key_after_any_sequence_of_builds(builds, told):
    """Whether each build syncs by identity (None) or names its remade paths, the readers
    of any keys are exactly the outputs whose record lists one of them."""
    dependents, before = Dependents(), {}
    for records, tell in zip(builds, told):
        records = {path: before[path] if path in before and before[path].keys == record.keys else record
                   for path, record in records.items()}  # an unchanged output keeps its record object
        remade = {p for p in set(records) | set(before) if records.get(p) is not before.get(p)}
        dependents.sync(records, remade if tell else None)
        before = records
        for n in range(len(KEYS)):
            assert dependents.readers(KEYS[n:n + 2]) == _brute_force(records, KEYS[n:n + 2])


def test_a_key_nobody_reads_has_no_readers():
    dependents = Dependents()
    dependents.sync({"index.html": Record("", "", (("A",),))})
    assert dependents.readers([("a", "gone")]) == set()
    assert dependents.readers([("A",)]) == {"index.html"}
