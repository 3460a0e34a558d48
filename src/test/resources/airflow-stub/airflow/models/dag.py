import re

_CURRENT = []
_TEMPLATE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}")


class DAG:
    def __init__(self, dag_id, params=None, default_args=None, schedule=None, **kwargs):
        self.dag_id = dag_id
        self.params = dict(params or {})
        self.default_args = dict(default_args or {})
        self.schedule = schedule
        self.kwargs = kwargs
        self.tasks = []

    def __enter__(self):
        _CURRENT.append(self)
        return self

    def __exit__(self, *exc):
        _CURRENT.pop()
        return False


def current_dag():
    return _CURRENT[-1] if _CURRENT else None


def render(value, context):
    """Renders {{ ds }} and {{ params.x }} in strings, lists and dicts, as Jinja would for them."""
    if isinstance(value, str):
        def lookup(match):
            name = match.group(1)
            if name.startswith("params."):
                return str(context["params"][name[len("params."):]])
            if name in context:
                return str(context[name])
            raise KeyError(f"the airflow stub cannot render '{{{{ {name} }}}}'")
        return _TEMPLATE.sub(lookup, value)
    if isinstance(value, list):
        return [render(v, context) for v in value]
    if isinstance(value, dict):
        return {k: render(v, context) for k, v in value.items()}
    return value
