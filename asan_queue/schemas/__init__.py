"""The contract: one typed schema per request body, query, path, answer and socket message.

The same classes validate input (web/contract.py turns their errors into the usual 4xx
bodies), shape every answer and message (services build these models; web/ and realtime/
dump them), and generate the OpenAPI 3.1 and AsyncAPI documents. Pure pydantic: no Flask,
no database."""
