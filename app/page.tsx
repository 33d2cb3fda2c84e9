export default function Home() {
  return <main>Darkroom</main>;
}
