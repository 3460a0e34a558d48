from airflow.models.dag import current_dag, render


class BaseOperator:
    template_fields = ()

    def __init__(self, task_id, retries=None, do_xcom_push=True, **kwargs):
        self.task_id = task_id
        self.dag = current_dag()
        defaults = self.dag.default_args if self.dag else {}
        self.retries = defaults.get("retries", 0) if retries is None else retries
        self.do_xcom_push = do_xcom_push
        self.kwargs = kwargs
        self.downstream = []
        if self.dag is not None:
            self.dag.tasks.append(self)

    def __rshift__(self, other):
        self.downstream.append(other)
        return other

    def render_template_fields(self, context):
        for field in self.template_fields:
            setattr(self, field, render(getattr(self, field), context))

    def execute(self, context):
        raise NotImplementedError
