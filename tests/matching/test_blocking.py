"""Issue 8 point 2: the blocking index yields candidate pairs without comparing everyone."""

from regie.matching import BlockingIndex, PersonRecord, deduplicate, link, prepare
from regie.matching.records import AddressRecord


def _people(n):
    # n distinct fictitious persons: name, birth date and address all vary with i
    given = ["Jan", "Piet", "Kees", "Anna", "Sanne", "Lotte", "Daan", "Noah", "Emma", "Tess", "Bram", "Fleur", "Joris"]
    surnames = ["Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks"]
    return [
        PersonRecord(
            name=f"{given[i % 13]} {surnames[(i // 13) % 12]}{'' if i < 156 else 'a' * (i // 156)}",
            birth_date=f"{1940 + i % 60}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            address=AddressRecord(street="Kerkstraat", house_number=str(1 + i), postcode=f"{1000 + i % 900}AB"),
        )
        for i in range(n)
    ]


def test_candidate_pairs_are_far_fewer_than_all_pairs():
    people = _people(1000)
    index = BlockingIndex().add_all((i, prepare(p)) for i, p in enumerate(people))
    pairs = list(index.pairs())
    assert len(pairs) < 1000 * 999 / 2 / 20
    assert len(set(pairs)) == len(pairs)
    assert all(a < b for a, b in pairs)


def test_a_variant_of_a_record_is_a_candidate_and_a_match():
    people = _people(300)
    variant = PersonRecord(name="Bakker Piet", birth_date="15-03-1954", address=AddressRecord(text="Kerkstr 15, 1014 AB"))
    index = BlockingIndex().add_all((i, prepare(p)) for i, p in enumerate(people))
    assert 14 in index.candidates(prepare(variant))  # people[14] is Piet Bakker, born 1954-03-15, Kerkstraat 15
    matches = link([variant], people)
    assert [(m.left, m.right) for m in matches] == [(0, 14)]
    assert matches[0].comparison.is_match


def test_deduplicate_finds_the_planted_duplicates_only():
    people = _people(400)
    planted = [
        PersonRecord(name=people[5].name.replace("Smit", "Smitt"), birth_date=people[5].birth_date, address=people[5].address),
        PersonRecord(name=people[77].name, birth_date=people[77].birth_date, address=people[77].address),
    ]
    matches = deduplicate(people + planted)
    assert sorted((m.left, m.right) for m in matches) == [(5, 400), (77, 401)]


def test_oversized_blocks_are_skipped_and_counted():
    people = [PersonRecord(name="Jan Jansen") for _ in range(30)]
    index = BlockingIndex(max_block=10).add_all((i, prepare(p)) for i, p in enumerate(people))
    assert list(index.pairs()) == []
    assert index.skipped


def test_records_without_a_name_are_not_indexed_by_link():
    assert link([PersonRecord(name="")], [PersonRecord(name="")]) == []


def test_one_to_one_link_keeps_the_best_partner():
    left = [PersonRecord(name="Piet Jansen", birth_date="1980-05-12")]
    right = [PersonRecord(name="Piet Jansen", birth_date="1980-05-12"), PersonRecord(name="Piet Janssen", birth_date="1980-05-12")]
    assert len(link(left, right)) == 2
    best = link(left, right, one_to_one=True)
    assert [(m.left, m.right) for m in best] == [(0, 0)]


def test_initials_only_and_full_first_name_share_a_block():
    # the known gap: "J." has no phonetic given-name code, so only surname + first initial pairs them
    short = prepare(PersonRecord(name="J. van der Berg"))
    full = prepare(PersonRecord(name="Jan van der Berg"))
    other = prepare(PersonRecord(name="Piet van der Berg"))
    index = BlockingIndex().add_all([(0, full), (1, other)])
    assert index.candidates(short) == {0}
    assert list(BlockingIndex().add_all([(0, short), (1, full)]).pairs()) == [(0, 1)]
