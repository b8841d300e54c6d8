import Koa from 'koa';

/** The baseline of the webhook benchmark: a bare Koa app whose every route answers `{}`. */
const app = new Koa();
app.use((ctx) => {
  ctx.body = {};
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
server.once('listening', () => process.stdout.write('ready\n'));
