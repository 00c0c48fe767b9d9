"""Tables of the demo module: the runs of the operations simulator."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from boh.org.models import Organization, User


class SimulationRun(models.Model):
    """One run of `boh simulate`: what it simulated, with which seed, and its figures.

    results holds the report: per policy, the chain's figures and each store's, the run
    time, and the ratios of the system's figures to par's.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    start_date = models.DateField(_("first day"))
    days = models.PositiveIntegerField(_("days"))
    stores = models.PositiveIntegerField(_("stores"), null=True, blank=True)
    seed = models.BigIntegerField(_("seed"))
    policies = models.JSONField(default=list)
    results = models.JSONField(default=dict)
    error = models.TextField(blank=True)
    job_id = models.BigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"simulation #{self.pk}"
