#include <stdio.h>
#include <netdb.h>
#include <pwd.h>
#include <string.h>
#include <arpa/inet.h>
int main(int argc,char**argv){
  for(int i=1;i<argc;i++){
    struct addrinfo h={0},*r; h.ai_family=AF_INET;
    int e=getaddrinfo(argv[i],NULL,&h,&r);
    if(e){printf("getaddrinfo %s: %s\n",argv[i],gai_strerror(e));continue;}
    char b[64]; inet_ntop(AF_INET,&((struct sockaddr_in*)r->ai_addr)->sin_addr,b,64); printf("getaddrinfo %s: %s\n",argv[i],b);
  }
  struct passwd*p=getpwnam("root"); printf("getpwnam root: %s\n",p?p->pw_dir:"(none)");
  struct passwd*q=getpwuid(0); printf("getpwuid 0: %s\n",q?q->pw_name:"(none)");
  return 0;}
