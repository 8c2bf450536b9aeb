# Build: docker build -t agent-dispatch .    Run: see docs/deploy.md
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home /app agent && mkdir -p /app/data && chown agent /app/data
WORKDIR /app
COPY --from=build /src/target/agent-dispatch.jar /app/agent-dispatch.jar
USER agent
ENV PORT=3000 \
    DATABASE_URL=jdbc:sqlite:/app/data/agent-dispatch.db \
    JAVA_OPTS="-Xmx192m -Xss512k -XX:+UseSerialGC -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=48m -XX:MaxDirectMemorySize=64m"
VOLUME /app/data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD ["sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PORT} && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q '200' <&3"]
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/agent-dispatch.jar serve"]
