from django import template

from public.charts import number as format_number

register = template.Library()


@register.filter
def number(value, hides_small_counts=False) -> str:
    """A measured value as people write it: 28,5 (not 28,500); "saknas" if missing;
    "färre än 5" for a small count of an indicator that hides them:
    `{{ value.value|number:value.indicator.hides_small_counts }}`."""
    return format_number(value, hides_small_counts)
