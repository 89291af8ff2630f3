from prefect import flow
@flow
def crlf():
    pass
