"""Letters: what a coordinator sends to referrers and to the men, written from Word templates.

kinds.py      the kinds of letter, who each goes to and its template file
fields.py     the placeholders a template may use: the one allow-list of what a letter holds
addressee.py  who a letter is addressed to (one function, to be extended for agency contacts)
context.py    the allow-listed values for one man and one kind of letter
templates.py  the programme's templates (workspace letters/templates/), checking, rendering
text.py       a rendered letter as Markdown or HTML (the same words as the .docx)
wording.py    phrases no letter may carry
service.py    writing a letter, recording it on the man's file, listing, checking
"""
