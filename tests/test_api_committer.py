"""Group commit: concurrent request batches share a transaction, yet each succeeds or fails alone."""

from __future__ import annotations

import threading

from events.errors import InvalidEvent
from service.api.committer import GroupCommitter, _Job
from tests.helpers import activity, registered


def test_batches_appended_together_each_get_their_own_stored_events(store):
    store.append([registered()])
    jobs = [_Job([activity(f"2020-01-0{n}", activity_id=f"a{n}")], ids={f"a{n}"}) for n in range(1, 4)]
    GroupCommitter(store)._run(jobs)
    assert [[e.version for e in job.events] for job in jobs] == [[2], [3], [4]]
    assert len({job.events[0].recorded_at for job in jobs}) == 1  # one transaction
    assert all(job.error is None and job.done for job in jobs)


def test_one_refused_batch_fails_alone_and_the_others_are_stored(store):
    store.append([registered()])
    good = _Job([activity("2020-01-01", activity_id="ok")])
    bad = _Job([activity("2020-01-02", activity_id="x", stream="not-registered")])
    also_good = _Job([activity("2020-01-03", activity_id="fine")])
    GroupCommitter(store)._run([good, bad, also_good])
    assert isinstance(bad.error, InvalidEvent) and bad.events is None
    assert [good.events[0].version, also_good.events[0].version] == [2, 3]
    assert [e.type for e in store.stream("kota-bandung-seoul")] == ["PartnershipRegistered"] + ["ActivityLogged"] * 2


def test_concurrent_requests_all_land_once_in_order_of_versions(store):
    store.append([registered()])
    committer, results, errors = GroupCommitter(store), {}, []

    def send(n: int) -> None:
        try:
            results[n] = committer.append([activity("2020-01-01", activity_id=f"c{n}")])
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=send, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(r[0].version for r in results.values()) == list(range(2, 22))
    assert store.version("kota-bandung-seoul") == 21
