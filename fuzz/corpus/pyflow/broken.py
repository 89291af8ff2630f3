def f(:
  """unterminated
	@flow
def été(x=
