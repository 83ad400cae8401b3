"""Database lookups hardened against what people type into forms and URLs."""

from django.db.models.lookups import In


class IntegerIn(In):
    """`id__in` ignores values outside the database's integer range.

    A multi-select posted with `99999999999999999999` crashed SQLite (`OverflowError`) instead of
    answering "choix invalide"; such a value can match no row, so it is dropped. Django already
    does the same for `exact` (`IntegerFieldOverflow`)."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
