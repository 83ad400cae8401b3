"""allauth's entrance forms, as a French coordinator expects them."""

from allauth.account.forms import LoginForm as AllauthLoginForm


class LoginForm(AllauthLoginForm):
    """The cursor waits in the e-mail field; its label says what to type (no placeholder that
    says it differently)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = "Adresse e-mail"
        login.widget.attrs.pop("placeholder", None)
        login.widget.attrs["autofocus"] = True
        self.fields["password"].widget.attrs.pop("placeholder", None)
