""" "What happens next" notices (issue 15 item 7): short emails that tell a person something
needs them, and the to-do list on each staff home page that shows the same items.

- ``events``: called by the services at the moment something happens (an appeal or
  reconsideration request received, a proposal waiting, a proposal approved or rejected);
  each queues its emails in the caller's transaction, so none is sent for a change that
  was not saved, and none is lost if the mail server is down (the job is tried again).
- ``emails``: the job that writes and sends one email, in the reader's language, with no
  case details (a mailbox may be shared): only "something needs your attention, sign in".
- ``referrals``: the time-driven one, Community Safety referrals not accepted after two
  working days (s3.2), run by ``flask notices referrals`` from a scheduler; each referral
  is chased once.
- ``to_do``: the staff to-do list, a constant number of SQL statements per page.
"""
