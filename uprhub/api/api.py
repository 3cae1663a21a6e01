from ninja import NinjaAPI

api = NinjaAPI(title="UPR Hub API", version="1", urls_namespace="api")
