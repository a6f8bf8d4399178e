from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import Email, InputRequired, Length


class SignInForm(FlaskForm):
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
