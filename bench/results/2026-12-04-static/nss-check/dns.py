import socket,struct
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind(("127.0.0.1",53))
while True:
    d,a=s.recvfrom(512)
    tid=d[:2]; q=d[12:]; i=0
    while q[i]: i+=q[i]+1
    qd=q[:i+5]; qtype=struct.unpack(">H",q[i+1:i+3])[0]
    if qtype==1:
        ans=b"\xc0\x0c"+struct.pack(">HHIH",1,1,60,4)+socket.inet_aton("10.9.8.7"); an=1
    else:
        ans=b""; an=0
    s.sendto(tid+b"\x81\x80"+struct.pack(">HHHH",1,an,0,0)+qd+ans,a)
