from django import template

from public.charts import number as format_number

register = template.Library()


@register.filter
def number(value) -> str:
    """A measured value as people write it: 28,5 (not 28,500); "saknas" if missing."""
    return format_number(value)
