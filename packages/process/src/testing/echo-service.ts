/**
 * A one-method gRPC service made by hand (raw bytes, no .proto), for tests of serving:
 * Echo answers with its request, or never when told to hang.
 */
import {
  type Client,
  credentials,
  makeGenericClientConstructor,
  Server,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';

const bytes = (value: Buffer): Buffer => value;

const ECHO_SERVICE: ServiceDefinition = {
  echo: {
    path: '/tkube.test.Echo/Echo',
    requestStream: false,
    responseStream: false,
    requestSerialize: bytes,
    requestDeserialize: bytes,
    responseSerialize: bytes,
    responseDeserialize: bytes,
  },
};

/** A server with Echo added; a request of "hang" is never answered. */
export function echoServer(): Server {
  const server = new Server();
  const implementation: UntypedServiceImplementation = {
    echo: (call: { request: Buffer }, callback: (error: null, response: Buffer) => void) => {
      if (call.request.toString() !== 'hang') callback(null, call.request);
    },
  };
  server.addService(ECHO_SERVICE, implementation);
  return server;
}

export interface EchoClient {
  echo(text: string): Promise<string>;
  close(): void;
}

export function echoClient(target: string): EchoClient {
  const EchoClientClass = makeGenericClientConstructor(ECHO_SERVICE, 'Echo');
  const client: Client & Record<string, unknown> = new EchoClientClass(target, credentials.createInsecure());
  return {
    echo: (text) =>
      new Promise((resolve, reject) => {
        const echo = client.echo;
        if (typeof echo !== 'function') throw new Error('no echo method');
        echo.call(client, Buffer.from(text), (error: Error | null, response: Buffer) =>
          error ? reject(error) : resolve(response.toString()),
        );
      }),
    close: () => client.close(),
  };
}
