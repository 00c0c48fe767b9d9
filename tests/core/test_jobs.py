"""Background jobs: queued in the real Huey storage only after commit, with visible progress."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from huey import RedisHuey
from huey.contrib.djhuey import HUEY, db_task

from boh.core.jobs import JobProgress, enqueue_on_commit, start_job
from boh.core.models import IdempotencyRecord, Job
from boh.core.services import purge_idempotency_records
from boh.core.tasks import purge_idempotency_records_hourly

pytestmark = pytest.mark.django_db(transaction=True)


@db_task()
def count_lines(job_id: int) -> None:
    """A job that counts to params["n"], reporting progress every two steps."""
    with JobProgress(job_id, every=2) as progress:
        n = progress.job.params["n"]
        progress.set_total(n)
        for _ in range(n):
            progress.advance()
        progress.finish({"counted": n})


@db_task()
def fail_halfway(job_id: int) -> None:
    """A job that breaks after two of four steps."""
    with JobProgress(job_id, every=1) as progress:
        progress.set_total(4)
        progress.advance(2)
        raise RuntimeError("supplier feed broken")


def _run_next() -> None:
    task = HUEY.dequeue()
    assert task is not None
    HUEY.execute(task)


def test_the_queue_is_the_configured_storage() -> None:
    expected = "RedisStorage" if settings.REDIS_URL else "SqliteStorage"

    assert type(HUEY.storage).__name__ == expected
    assert HUEY.immediate is False


def test_given_a_job_started_in_a_transaction_that_rolls_back_then_nothing_is_queued() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        start_job("count", count_lines, organization_id=None, params={"n": 3})
        raise RuntimeError("the causing write failed")

    assert HUEY.pending_count() == 0
    assert Job.objects.count() == 0


def test_given_a_committed_job_when_the_worker_runs_it_then_it_is_done_with_progress() -> None:
    # given
    with transaction.atomic():
        job = start_job("count", count_lines, organization_id=None, params={"n": 5})
        assert HUEY.pending_count() == 0
    assert HUEY.pending_count() == 1
    assert Job.objects.get(pk=job.pk).status == "queued"

    # when
    _run_next()

    # then
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent) == ("done", 5, 5, 100)
    assert job.result == {"counted": 5}
    assert job.error == ""
    assert job.started_at is not None
    assert job.finished_at is not None
    assert job.started_at <= job.finished_at
    assert HUEY.pending_count() == 0


def test_given_a_job_that_breaks_when_run_then_it_is_failed_with_the_error_and_progress() -> None:
    with transaction.atomic():
        job = start_job("fail", fail_halfway, organization_id=None)

    _run_next()

    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent) == ("failed", 2, 4, 50)
    assert job.error == "RuntimeError: supplier feed broken"
    assert job.finished_at is not None


def test_given_an_open_job_with_the_same_key_when_starting_again_then_it_is_reused() -> None:
    with transaction.atomic():
        first = start_job("count", count_lines, organization_id=7, key="loc:1", params={"n": 1})
    with transaction.atomic():
        second = start_job("count", count_lines, organization_id=7, key="loc:1", params={"n": 1})

    assert second.pk == first.pk
    assert HUEY.pending_count() == 1
    _run_next()
    with transaction.atomic():
        third = start_job("count", count_lines, organization_id=7, key="loc:1", params={"n": 1})
    assert third.pk != first.pk
    assert HUEY.pending_count() == 1


def test_given_an_unreachable_queue_when_the_transaction_commits_then_the_job_is_failed() -> None:
    unreachable = RedisHuey("boh-unreachable", url="redis://127.0.0.1:1/0")

    @unreachable.task()
    def never_queued(job_id: int) -> None:
        raise AssertionError("must not run")

    with transaction.atomic():
        job = start_job("lost", never_queued, organization_id=None)

    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error.startswith("not queued: ConnectionError")
    assert job.finished_at is not None


def test_given_progress_then_it_is_written_every_n_steps_and_at_the_end() -> None:
    job = Job.objects.create(kind="count", organization_id=None)

    with JobProgress(job.pk, every=2) as progress:
        assert Job.objects.get(pk=job.pk).status == "running"
        progress.advance()
        after_one = Job.objects.get(pk=job.pk).done
        progress.advance()
        after_two = Job.objects.get(pk=job.pk).done
        progress.advance()
        after_three = Job.objects.get(pk=job.pk).done

    assert (after_one, after_two, after_three) == (0, 2, 2)
    job.refresh_from_db()
    assert (job.status, job.done) == ("done", 3)


def test_given_a_task_enqueued_on_commit_outside_a_transaction_then_it_is_queued_at_once() -> None:
    job = Job.objects.create(kind="count", organization_id=None, params={"n": 2})

    enqueue_on_commit(count_lines, job.pk)

    assert HUEY.pending_count() == 1
    _run_next()
    job.refresh_from_db()
    assert (job.status, job.done) == ("done", 2)


def _record(key: str, age: dt.timedelta) -> IdempotencyRecord:
    record = IdempotencyRecord.objects.create(
        identity="key:x", key=key, method="POST", path="/api/v1/org/regions", body_hash="h"
    )
    IdempotencyRecord.objects.filter(pk=record.pk).update(created_at=timezone.now() - age)
    return record


def test_given_old_and_new_idempotency_records_when_purging_then_only_the_old_go() -> None:
    ttl = dt.timedelta(hours=settings.IDEMPOTENCY_TTL_HOURS)
    _record("old", ttl + dt.timedelta(minutes=1))
    _record("fresh", ttl - dt.timedelta(minutes=1))

    deleted = purge_idempotency_records()

    assert deleted == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["fresh"]


def test_given_the_hourly_purge_when_the_worker_runs_it_from_the_queue_then_old_records_go() -> (
    None
):
    ttl = dt.timedelta(hours=settings.IDEMPOTENCY_TTL_HOURS)
    _record("old", ttl + dt.timedelta(hours=1))
    _record("fresh", dt.timedelta(0))

    purge_idempotency_records_hourly()
    assert HUEY.pending_count() == 1
    _run_next()

    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["fresh"]


def test_the_consumer_schedules_the_purge_once_an_hour() -> None:
    name = purge_idempotency_records_hourly.s().name

    due = [
        name in {t.name for t in HUEY.read_periodic(dt.datetime(2026, 3, 1, hour, minute))}
        for hour, minute in [(0, 17), (13, 17), (13, 16), (13, 18)]
    ]

    assert due == [True, True, False, False]
