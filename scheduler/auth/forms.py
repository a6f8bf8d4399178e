from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import Email, InputRequired, Length, Regexp

from scheduler.forms import AppForm


class SignInForm(AppForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[InputRequired("Enter your email address"),
                    Length(max=254, message="Email address must be 254 characters or fewer"),
                    Email("Enter an email address in the correct format, like name@example.org")],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your password"),
                    Length(max=128, message="Password must be 128 characters or fewer")],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


def current_password_field(description: str | None = None, *, required: bool = True) -> PasswordField:
    """The signed-in person's password, asked again before a change to how they sign in."""
    return PasswordField(
        "Your current password",
        widget=GovPasswordInput(),
        description=description,
        validators=([InputRequired("Enter your current password")] if required else [])
        + [Length(max=128, message="Password must be 128 characters or fewer")],
    )


def new_password_form(label: str, button: str, *, ask_current: bool = False) -> type[AppForm]:
    """A new password typed twice (its rules: routes._new_password_accepted), after the current one
    when a signed-in person changes it."""

    class NewPasswordForm(AppForm):
        if ask_current:
            current_password = current_password_field()
        password = PasswordField(
            label,
            widget=GovPasswordInput(),
            description="Use 15 characters or more. Three random words together work well. "
                        "Do not use your email address.",
            validators=[InputRequired("Enter a password"),
                        Length(max=128, message="Password must be 128 characters or fewer")],
        )
        confirm = PasswordField(
            "Confirm your password" if label == "Create a password" else "Confirm your new password",
            widget=GovPasswordInput(),
            validators=[InputRequired("Enter the password again to confirm it"),
                        Length(max=128, message="Password must be 128 characters or fewer")],
        )
        submit = SubmitField(button, widget=GovSubmitInput())

    return NewPasswordForm


SetPasswordForm = new_password_form("Create a password", "Set password")
ResetPasswordForm = new_password_form("New password", "Change password")
ChangePasswordForm = new_password_form("New password", "Change password", ask_current=True)


class ForgottenPasswordForm(AppForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        description="The email address you sign in with.",
        validators=[InputRequired("Enter your email address"),
                    Length(max=254, message="Email address must be 254 characters or fewer"),
                    Email("Enter an email address in the correct format, like name@example.org")],
    )
    submit = SubmitField("Send me a link", widget=GovSubmitInput())


class SecurityCodeForm(AppForm):
    code = StringField(
        "Security code",
        widget=GovTextInput(),
        description="The 6-digit code your authenticator app shows now.",
        filters=[lambda v: "".join(v.split()) if isinstance(v, str) else v],
        validators=[InputRequired("Enter the 6-digit security code from your authenticator app"),
                    Regexp(r"^\d{6}$", message="Security code must be 6 digits, like 123456")],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class AccountSecurityCodeForm(SecurityCodeForm):
    """Setting up two-step sign-in from a signed-in account: the password first, so a borrowed or
    stolen session cannot tie the account to someone else's phone."""

    current_password = current_password_field()


class RecoveryCodeForm(AppForm):
    code = StringField(
        "Recovery code",
        widget=GovTextInput(),
        description="One of the recovery codes you saved when you set up two-step sign-in. Each works once.",
        validators=[InputRequired("Enter one of your recovery codes"),
                    Length(max=64, message="Recovery code must be 64 characters or fewer")],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())
