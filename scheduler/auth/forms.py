from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import Email, InputRequired, Length

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


class SetPasswordForm(AppForm):
    password = PasswordField(
        "Create a password",
        widget=GovPasswordInput(),
        description="Use 15 characters or more. Three random words together work well. Do not use your email address.",
        validators=[InputRequired("Enter a password"),
                    Length(max=128, message="Password must be 128 characters or fewer")],
    )
    confirm = PasswordField(
        "Confirm your password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter the password again to confirm it"),
                    Length(max=128, message="Password must be 128 characters or fewer")],
    )
    submit = SubmitField("Set password", widget=GovSubmitInput())
