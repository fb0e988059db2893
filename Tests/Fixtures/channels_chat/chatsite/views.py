import os

from django.http import JsonResponse


def hello(request):
    return JsonResponse({'hello': 'from django', 'method': request.method, 'room': request.GET.get('room'),
                         'pid': os.getpid()})
