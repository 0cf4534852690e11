"""How many people live in each ICB and nation: the denominators of "per 100,000 population".

Data, not code: each figure carries its source and the year it estimates, and is edited in the
Django admin when a newer estimate is published. Migration 0006 seeds published mid-year
estimates (ONS for the ICBs and Wales, NRS for Scotland, NISRA for Northern Ireland).
England has no figure of its own: its population is the sum of its ICBs'.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from portal.regions import Region, region_name


class RegionPopulation(models.Model):
    region = models.CharField(
        "ICB or nation",
        max_length=40,
        choices=[(r.value, r.label) for r in Region if r != Region.OUTSIDE_UK],
        unique=True,
    )
    population = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    year = models.PositiveSmallIntegerField(
        "Year of the estimate",
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="The mid-year the estimate is for, for example 2022 for mid-2022.",
    )
    source = models.CharField(
        max_length=300,
        help_text="Who published the figure and in which release, as a reader would cite it.",
    )
    source_url = models.URLField("Link to the source", blank=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["region"]
        verbose_name = "population of an ICB or nation"
        verbose_name_plural = "populations of ICBs and nations"
        constraints = [
            # The admin's validators say it in words; the database refuses a zero regardless
            # (a rate per 100,000 divides by it).
            models.CheckConstraint(
                condition=models.Q(population__gt=0), name="portal_population_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{region_name(self.region)}: {self.population:,} (mid-{self.year})"
